package dev.bffgateway.it;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A BFF on a random port against the shared WireMock downstreams, reset to healthy, with closed breakers,
 * before each test. Subclasses add {@code @SpringBootTest} with their application and properties.
 */
abstract class ContainerTestSupport {

	@DynamicPropertySource
	static void downstreams(DynamicPropertyRegistry registry) {
		Downstreams.register(registry);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	/** The management port: actuator endpoints, never on the public one. */
	Bff management;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	MeterRegistry meters;

	Bff bff;

	@BeforeEach
	void healthy() {
		Downstreams.healthy();
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		this.bff = new Bff(this.port);
		this.management = new Bff(this.managementPort);
	}

	/** @return how many calls to the dependency ended with the outcome */
	double calls(String dependency, String outcome) {
		return this.meters.get("bff.downstream.calls").tags("dependency", dependency, "outcome", outcome).timer()
			.count();
	}

}
