package dev.bffgateway.core.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayDefaultsEnvironmentPostProcessorTest {

	static StandardEnvironment postProcessed(String... profiles) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.setActiveProfiles(profiles);
		new GatewayDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void addsTheLambdaSettingsAboveTheDefaultsOnlyOnTheLambdaEdge() {
		StandardEnvironment lambda = postProcessed(LambdaProfile.NAME);
		StandardEnvironment container = postProcessed();

		assertThat(lambda.getPropertySources().stream().map(PropertySource::getName)).endsWith(
				GatewayDefaultsEnvironmentPostProcessor.LAMBDA_SOURCE_NAME,
				GatewayDefaultsEnvironmentPostProcessor.SOURCE_NAME);
		assertThat(lambda.getProperty("server.shutdown")).isEqualTo("immediate");
		assertThat(lambda.getProperty("gateway.edge.emf.enabled")).isEqualTo("true");
		assertThat(container.getPropertySources().stream().map(PropertySource::getName))
			.endsWith(GatewayDefaultsEnvironmentPostProcessor.SOURCE_NAME)
			.doesNotContain(GatewayDefaultsEnvironmentPostProcessor.LAMBDA_SOURCE_NAME);
		assertThat(container.getProperty("server.shutdown")).isEqualTo("graceful");
	}

}
