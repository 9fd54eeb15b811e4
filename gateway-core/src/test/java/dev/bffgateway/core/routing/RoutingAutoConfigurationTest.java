package dev.bffgateway.core.routing;

import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the route table comes from: an SSM parameter, when named, wins over the file, and one that cannot be read
 * stops startup naming it, as an unreadable file does; the Lambda edge refreshes only a parameter's table per
 * invocation. A readable parameter, polled and refreshed live, is {@code it/…/RoutesFromSsmTest}'s (moto).
 */
class RoutingAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, RoutingAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void aPackagedFileIsReadAndNeitherWatchedNorRefreshedOnTheLambdaEdge() {
		this.runner
			.withPropertyValues("spring.profiles.active=lambda", "gateway.routes.file=classpath:routes/test-routes.yml",
					"gateway.routes.poll-interval=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RoutesSource.class)).isInstanceOf(ResourceRoutesSource.class);
				assertThat(context.getBean(RoutesWatcher.class).isRunning()).isFalse();
				FilterRegistrationBean<?> refresh = context.getBean("routesRefreshFilter", FilterRegistrationBean.class);
				assertThat(refresh.getFilter()).isInstanceOf(RoutesRefreshFilter.class);
				assertThat(refresh.isEnabled()).isFalse();
			});
	}

	@Test
	void inTheContainerNoRefreshFilter() {
		this.runner.withPropertyValues("gateway.routes.file=classpath:routes/test-routes.yml").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
		});
	}

	@Test
	void aParameterWinsOverTheFileAndOneThatCannotBeReadStopsStartupNamingIt() {
		this.runner
			.withPropertyValues("gateway.routes.file=classpath:routes/test-routes.yml",
					"gateway.routes.ssm.parameter=/bff/web-bff/routes", "gateway.routes.ssm.endpoint=http://127.0.0.1:1",
					"gateway.routes.ssm.region=eu-west-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"ssm:/bff/web-bff/routes: cannot be read (java.io.IOException: ");
			});
	}

	@Test
	void aMaxAgeOfZeroStopsStartupNamingTheKey() {
		this.runner.withPropertyValues("gateway.routes.ssm.max-age=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"gateway.routes.ssm.max-age must be positive, but was 0ms");
		});
	}

}
