package dev.bffgateway.core.circuit;

import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sharing is on only where a table is named, and the beans decide it at startup (so a Spring AOT context built
 * without the table still turns it on from the environment); bad settings stop startup naming key and value.
 * The store is never called here: the lifecycle that reads it first is not started by the runner.
 */
class SharedCircuitsAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				SharedCircuitsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void offWithoutATable() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			// declared (so an AOT context has them) and null: nothing to inject, nothing started
			assertThat(context.getBeanProvider(SharedCircuits.class).getIfAvailable()).isNull();
			assertThat(context.getBeanProvider(SharedCircuitsLifecycle.class).getIfAvailable()).isNull();
			assertThat(context.getBeansOfType(HealthIndicator.class)).doesNotContainKey("sharedCircuitsHealthIndicator");
		});
	}

	@Test
	void onWithATableWithItsHealthAndInTheContainerNoInvocationFilter() {
		this.runner
			.withPropertyValues("gateway.circuits.shared.table=bff-circuits",
					"gateway.circuits.shared.endpoint=http://127.0.0.1:1", "gateway.circuits.shared.region=eu-west-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(SharedCircuits.class);
				assertThat(context).hasSingleBean(SharedCircuitsLifecycle.class);
				assertThat(context.getBean("sharedCircuitsHealthIndicator")).isInstanceOf(SharedCircuitsHealthIndicator.class);
				assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
			});
	}

	@Test
	void onTheLambdaEdgeEachInvocationMaySyncFirst() {
		this.runner.withPropertyValues("spring.profiles.active=lambda", "gateway.circuits.shared.table=bff-circuits",
				"gateway.circuits.shared.endpoint=http://127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("invocationSyncFilter", FilterRegistrationBean.class).getFilter())
					.isInstanceOf(InvocationSyncFilter.class);
			});
	}

	@Test
	void onTheLambdaEdgeWithoutATableTheFilterIsRegisteredDisabled() {
		this.runner.withPropertyValues("spring.profiles.active=lambda").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("invocationSyncFilter", FilterRegistrationBean.class).isEnabled()).isFalse();
		});
	}

	@Test
	void aTableNameDynamoDbWouldRefuseStopsStartupNamingIt() {
		this.runner.withPropertyValues("gateway.circuits.shared.table=bff circuits").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("gateway.circuits.shared.table must be a DynamoDB table name")
				.hasMessageContaining("but was 'bff circuits'");
		});
	}

	@Test
	void aNonPositiveDurationStopsStartupNamingIt() {
		this.runner.withPropertyValues("gateway.circuits.shared.refresh-interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("gateway.circuits.shared.refresh-interval must be positive, but was 0ms");
		});
	}

	@Test
	void offEntirelyWithTheSwitch() {
		this.runner.withPropertyValues("gateway.circuits.shared.enabled=false", "gateway.circuits.shared.table=t-1x")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SharedCircuitsProperties.class);
			});
	}

}
