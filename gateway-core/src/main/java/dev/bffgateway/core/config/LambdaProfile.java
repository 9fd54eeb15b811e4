package dev.bffgateway.core.config;

import org.springframework.core.env.Environment;

/**
 * Whether the application runs on the Lambda edge: the {@code lambda} profile is active
 * ({@link GatewayDefaultsEnvironmentPostProcessor} activates it when the Lambda edge starts the application, and
 * each BFF's Spring AOT build for Lambda runs with it). The auto-configurations left out there
 * ({@link LambdaAutoConfigurationFilter}) follow from it.
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
