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
 */
final class GatewayDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "gatewayDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			environment.getPropertySources()
				.addLast(new ResourcePropertySource(SOURCE_NAME,
						new ClassPathResource("META-INF/gateway-defaults.properties")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("gateway-core is missing META-INF/gateway-defaults.properties", ex);
		}
	}

}
