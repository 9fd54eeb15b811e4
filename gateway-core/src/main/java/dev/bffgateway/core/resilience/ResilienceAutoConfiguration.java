package dev.bffgateway.core.resilience;

import java.time.Clock;
import java.util.function.Supplier;

import dev.bffgateway.core.downstream.DependenciesProperties;
import dev.bffgateway.core.downstream.DependenciesProperties.Settings;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One circuit breaker and one bulkhead per configured dependency, named after it, plus their metrics
 * ({@code resilience4j.circuitbreaker.state} and friends) and the {@code circuitBreakers} health component.
 */
@AutoConfiguration
@EnableConfigurationProperties(DependenciesProperties.class)
public final class ResilienceAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ResilienceAutoConfiguration.class);

	/** The clock breakers measure their open state with; tests replace it to step time without sleeping. */
	@Bean
	@ConditionalOnMissingBean
	Clock gatewayClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	CircuitBreakerRegistry circuitBreakerRegistry(DependenciesProperties dependencies, Clock clock) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		// one line per state change (not per rejected call): every breaker, the dependencies' and the routes' sides
		registry.getEventPublisher()
			.onEntryAdded((added) -> added.getAddedEntry()
				.getEventPublisher()
				.onStateTransition((event) -> logger.warn("Circuit breaker '{}': {}", event.getCircuitBreakerName(),
						event.getStateTransition())));
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			registry.circuitBreaker(name, configure(name, () -> DependencyPolicies.circuitBreaker(settings.breaker(), clock)));
		}
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	BulkheadRegistry bulkheadRegistry(DependenciesProperties dependencies) {
		BulkheadRegistry registry = BulkheadRegistry.ofDefaults();
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			registry.bulkhead(name, configure(name, () -> DependencyPolicies.bulkhead(settings.bulkhead())));
		}
		return registry;
	}

	/** Resilience4j's own checks (e.g. cross-field rules) surface with the dependency named. */
	private static <T> T configure(String name, Supplier<T> config) {
		try {
			return config.get();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"gateway.dependencies.instances." + name + " is invalid: " + ex.getMessage(), ex);
		}
	}

	@Bean
	MeterBinder circuitBreakerMetrics(CircuitBreakerRegistry registry) {
		return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry);
	}

	@Bean
	MeterBinder bulkheadMetrics(BulkheadRegistry registry) {
		return TaggedBulkheadMetrics.ofBulkheadRegistry(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
		HealthIndicator circuitBreakersHealthIndicator(CircuitBreakerRegistry registry) {
			return new CircuitBreakersHealthIndicator(registry);
		}

	}

}
