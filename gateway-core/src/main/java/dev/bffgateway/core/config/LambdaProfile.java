package dev.bffgateway.core.config;

import org.springframework.core.env.Environment;

/**
 * Whether the application runs on the Lambda edge, decided in this one place: the {@code lambda} profile is
 * active. The Lambda edge's handler starts the application with it, and each BFF's Spring AOT build for Lambda
 * ({@code process-aot} in its pom) runs with it. What differs on Lambda follows from it and from nothing else:
 * {@code META-INF/gateway-lambda.properties} ({@link GatewayDefaultsEnvironmentPostProcessor}), the
 * auto-configurations left out ({@link LambdaAutoConfigurationFilter}), and the settings only the Lambda edge
 * allows.
 */
public final class LambdaProfile {

	/** The profile's name. */
	public static final String NAME = "lambda";

	private LambdaProfile() {
	}

	/**
	 * @param environment the application's environment, its profiles known (after config data is read)
	 * @return whether it is the Lambda edge's
	 */
	public static boolean isActive(Environment environment) {
		return environment.matchesProfiles(NAME);
	}

}
