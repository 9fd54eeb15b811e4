package dev.bffgateway.it;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A BFF on a random port whose routes file is {@link Strangled#ROUTES_FILE}, reset to weight 30, both sides up. */
abstract class StranglerTestSupport extends ContainerTestSupport {

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("gateway.routes.file", Strangled.ROUTES_FILE::toString);
	}

	@BeforeEach
	void bothSidesHealthy() {
		Strangled.write(Strangled.table(30));
		Strangled.healthy();
	}

}
