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
 * <p>When the application is started by the Lambda edge ({@code LambdaEdgeHandler}, recognised by its
 * {@code LambdaEdgeConfiguration} startup class) it also activates the {@code lambda} profile and adds
 * {@code META-INF/gateway-lambda.properties} just above the defaults: no Tomcat, no actuator endpoints
 * (neither works under ServerlessMVC), metrics as CloudWatch embedded metric format.
 */
public final class GatewayDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "gatewayDefaults";

	static final String LAMBDA_SOURCE_NAME = "gatewayLambdaDefaults";

	/** The profile active on the Lambda edge. */
	public static final String LAMBDA_PROFILE = LambdaProfile.NAME;

	private static final String LAMBDA_EDGE_MARKER = "dev.bffgateway.core.edge.LambdaEdgeConfiguration";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(load(SOURCE_NAME, "META-INF/gateway-defaults.properties"));
		if (isLambdaEdge(environment, application)) {
			environment.addActiveProfile(LAMBDA_PROFILE);
			environment.getPropertySources()
				.addBefore(SOURCE_NAME, load(LAMBDA_SOURCE_NAME, "META-INF/gateway-lambda.properties"));
		}
	}

	static boolean isLambdaEdge(ConfigurableEnvironment environment, SpringApplication application) {
		if (LAMBDA_PROFILE.equals(environment.getProperty("gateway.edge"))) {
			return true; // Spring AOT processing for the Lambda edge, which has no handler to mark it
		}
		return application.getAllSources()
			.stream()
			.anyMatch((source) -> source instanceof Class<?> type && type.getName().equals(LAMBDA_EDGE_MARKER));
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
