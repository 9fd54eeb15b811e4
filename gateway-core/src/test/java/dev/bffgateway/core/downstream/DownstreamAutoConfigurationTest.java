package dev.bffgateway.core.downstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class DownstreamAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ResilienceAutoConfiguration.class, RoutingAutoConfiguration.class, DownstreamAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void instancesInheritDefaultsAndOverrideWhatTheySet() {
		this.runner
			.withPropertyValues("gateway.dependencies.defaults.read-timeout=700ms",
					"resilience4j.circuitbreaker.configs.default.sliding-window-size=40",
					"gateway.dependencies.instances.user.base-url=http://user.local:8080",
					"gateway.dependencies.instances.account.base-url=http://account.local:8080",
					"gateway.dependencies.instances.account.read-timeout=200ms",
					"resilience4j.circuitbreaker.instances.account.sliding-window-size=3",
					"resilience4j.bulkhead.instances.account.max-concurrent-calls=7")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DependenciesProperties properties = context.getBean(DependenciesProperties.class);
				assertThat(properties.resolve("user").readTimeout()).isEqualTo(Duration.ofMillis(700));
				assertThat(properties.resolve("user").connectTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(properties.resolve("account").readTimeout()).isEqualTo(Duration.ofMillis(200));

				CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
				CircuitBreakerConfig user = breakers.circuitBreaker("user").getCircuitBreakerConfig();
				CircuitBreakerConfig account = breakers.circuitBreaker("account").getCircuitBreakerConfig();
				assertThat(user.getSlidingWindowSize()).isEqualTo(40);
				assertThat(account.getSlidingWindowSize()).isEqualTo(3);
				assertThat(account.getFailureRateThreshold()).isEqualTo(50f);
				assertThat(account.getMinimumNumberOfCalls()).as("Resilience4j's own default, not reset by the instance")
					.isEqualTo(100);
				assertThat(context.getBean(BulkheadRegistry.class).bulkhead("account").getBulkheadConfig()
					.getMaxConcurrentCalls()).isEqualTo(7);
				assertThat(context.getBean(Downstream.class).clients()).extracting(DownstreamClient::name)
					.containsExactly("user", "account");
			});
	}

	@Test
	void outOfRangeValueStopsStartupNamingKeyAndValue() {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://account.local",
					"resilience4j.circuitbreaker.instances.account.failure-rate-threshold=140")
			.run((context) -> assertThat(startupFailureReport(context.getStartupFailure()))
				.contains("Property: resilience4j.circuitbreaker.instances.account.failure-rate-threshold")
				.contains("Value: \"140\"")
				.contains("failureRateThreshold must be between 1 and 100"));
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://account.local",
					"resilience4j.bulkhead.configs.default.max-concurrent-calls=0")
			.run((context) -> assertThat(startupFailureReport(context.getStartupFailure()))
				.contains("Property: resilience4j.bulkhead.configs.default.max-concurrent-calls")
				.contains("Value: \"0\"")
				.contains("maxConcurrentCalls must be greater than or equal to 1"));
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://account.local",
					"resilience4j.circuitbreaker.instances.account.base-config=strict")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("resilience4j.circuitbreaker.instances.account is invalid: "
						+ "Configuration with name 'strict' does not exist"));
	}

	@Test
	void aBreakerKeyOfTheOldShapeStopsStartupNamingTheNewKey() {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://account.local",
					"gateway.dependencies.instances.account.breaker.sliding-window-size=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("gateway.dependencies.instances.account.breaker.sliding-window-size is no longer read: set "
						+ "resilience4j.circuitbreaker.instances.account.sliding-window-size instead (Resilience4j's own "
						+ "keys), but gateway.dependencies.instances.account.breaker.sliding-window-size was set to '3'"));
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://account.local",
					"gateway.dependencies.defaults.bulkhead.max-concurrent-calls=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("gateway.dependencies.defaults.bulkhead.max-concurrent-calls is no longer read: set "
						+ "resilience4j.bulkhead.configs.default.max-concurrent-calls instead"));
	}

	@Test
	void invalidDefaultStopsStartupNamingKeyAndValue() {
		this.runner
			.withPropertyValues("gateway.dependencies.defaults.connect-timeout=-5ms",
					"gateway.dependencies.instances.user.base-url=http://user.local")
			.run((context) -> assertThat(startupFailureReport(context.getStartupFailure()))
				.contains("gateway.dependencies.defaults.connect-timeout must be positive, but was -5ms"));
	}

	/** What Boot prints when startup fails: the description of the first failure analyzer that knows it. */
	private static String startupFailureReport(Throwable failure) {
		assertThat(failure).as("startup failure").isNotNull();
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, beanFactory)
			.and(ConfigurableListableBeanFactory.class, beanFactory)
			.and(Environment.class, new StandardEnvironment());
		return SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ex) -> {
				// analyzers for absent optional libraries cannot be created: not ours to check
			}))
			.stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.map(FailureAnalysis::getDescription)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no failure analysis for " + failure));
	}

	@Test
	void missingOrRelativeBaseUrlStopsStartupNamingTheKey() {
		this.runner.withPropertyValues("gateway.dependencies.instances.user.read-timeout=1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("gateway.dependencies.instances.user.base-url must be set, but was missing"));
		this.runner.withPropertyValues("gateway.dependencies.instances.user.base-url=user-service/api")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("gateway.dependencies.instances.user.base-url must be an absolute http(s) URL, "
						+ "but was 'user-service/api'"));
	}

	@Test
	void strangledDependencyNeedsAWeightInRangeAndANewBaseUrl() {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://legacy.local",
					"gateway.dependencies.instances.account.new-base-url=http://new.local",
					"gateway.dependencies.instances.account.weight=101")
			.run((context) -> assertThat(startupFailureReport(context.getStartupFailure()))
				.contains("gateway.dependencies.instances.account.weight must be 0..100, but was 101"));
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=http://legacy.local",
					"gateway.dependencies.instances.account.weight=20")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("gateway.dependencies.instances.account.new-base-url must be set when weight is above 0, "
						+ "but weight was 20 and new-base-url missing"));
	}

	@Test
	void unknownDependencyIsReportedWithItsKey() {
		this.runner.withPropertyValues("gateway.dependencies.instances.user.base-url=http://user.local")
			.run((context) -> assertThat(catchThrowable(() -> context.getBean(Downstream.class).client("ledger")))
				.hasMessageStartingWith("gateway.dependencies.instances.ledger.base-url must be set")
				.hasMessageContaining("[user]"));
	}


	@Test
	void knownDependenciesGetGatewayCoresContractAndOneMegabyteUnlessTheySetTheirOwn() {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.user.base-url=http://user.local",
					"gateway.dependencies.instances.account.base-url=http://account.local",
					"gateway.dependencies.instances.account.contract=none",
					"gateway.dependencies.instances.account.max-body-size=64KB",
					"gateway.dependencies.instances.ledger.base-url=http://ledger.local")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DependenciesProperties properties = context.getBean(DependenciesProperties.class);
				assertThat(properties.resolve("user").contract())
					.isEqualTo("classpath:META-INF/gateway/contracts/user.schema.json");
				assertThat(properties.resolve("user").maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(properties.resolve("account").contract()).isEqualTo("none");
				assertThat(properties.resolve("account").maxBodySize()).isEqualTo(DataSize.ofKilobytes(64));
				assertThat(properties.resolve("ledger").contract()).as("no built-in contract for other names").isNull();
			});
		this.runner
			.withPropertyValues("gateway.dependencies.defaults.contract=none",
					"gateway.dependencies.instances.user.base-url=http://user.local")
			.run((context) -> assertThat(context.getBean(DependenciesProperties.class).resolve("user").contract())
				.as("defaults.contract: none turns the built-in ones off")
				.isEqualTo("none"));
	}

	@Test
	void aContractThatCannotBeReadOrIsNotAValidSchemaStopsStartupNamingKeyAndValue(@TempDir Path dir)
			throws Exception {
		Path invalid = Files.writeString(dir.resolve("user.schema.json"), "{\"type\":\"objekt\"}");
		this.runner
			.withPropertyValues("gateway.dependencies.instances.user.base-url=http://user.local",
					"gateway.dependencies.instances.user.contract=" + invalid.toUri())
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("gateway.dependencies.instances.user.contract must name a valid JSON Schema "
						+ "2020-12, but '" + invalid.toUri() + "' is not: /type: "));
		Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"type\":");
		this.runner
			.withPropertyValues("gateway.dependencies.instances.user.base-url=http://user.local",
					"gateway.dependencies.instances.user.contract=" + notJson.toUri())
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("gateway.dependencies.instances.user.contract must name a JSON Schema, but '"
						+ notJson.toUri() + "' is not JSON: "));
	}

	@Test
	void aNonPositiveBodySizeStopsStartupNamingKeyAndValue() {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.user.base-url=http://user.local",
					"gateway.dependencies.instances.user.max-body-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("gateway.dependencies.instances.user.max-body-size must be positive, but was 0B"));
	}

}
