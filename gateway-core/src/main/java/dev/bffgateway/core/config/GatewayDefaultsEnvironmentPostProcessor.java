package dev.bffgateway.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@code META-INF/gateway-defaults.properties} as the last property source, so a BFF's own
 * {@code application.yml}, the environment and the command line all win over it.
 *
 * <p>On the Lambda edge ({@link LambdaProfile}) it also adds {@code META-INF/gateway-lambda.properties} just
 * above the defaults: no actuator endpoints (they fail under ServerlessMVC), metrics as CloudWatch embedded metric
 * format, routes read once from the package. It runs after config data is read, when the profiles are known.
 */
public final class GatewayDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "gatewayDefaults";

	static final String LAMBDA_SOURCE_NAME = "gatewayLambdaDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(load(SOURCE_NAME, "META-INF/gateway-defaults.properties"));
		if (LambdaProfile.isActive(environment)) {
			environment.getPropertySources()
				.addBefore(SOURCE_NAME, load(LAMBDA_SOURCE_NAME, "META-INF/gateway-lambda.properties"));
		}
	}

	private static ResourcePropertySource load(String name, String location) {
		try {
			return new ResourcePropertySource(name, new ClassPathResource(location));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("gateway-core is missing " + location, ex);
		}
	}

}
