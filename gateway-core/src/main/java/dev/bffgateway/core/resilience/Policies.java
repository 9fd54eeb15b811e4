package dev.bffgateway.core.resilience;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;

/**
 * Builds Resilience4j configurations from Resilience4j's own properties, with Resilience4j's own merging
 * ({@code base-config}, then {@code configs.default}), and adds what no configuration can turn off: the clock
 * breakers measure time with, and the failures every breaker ignores ({@link Failures}). A value out of range
 * never gets here: Resilience4j's property setters refuse it while Boot binds, and Boot's failure report names the
 * key, the value and the rule. What only shows when a config is built (a {@code base-config} that does not exist,
 * cross-field rules) names the entry.
 */
final class Policies {

	static final String BREAKERS = "resilience4j.circuitbreaker";

	static final String BULKHEADS = "resilience4j.bulkhead";

	private Policies() {
	}

	static CircuitBreakerConfig breaker(String key, String name,
			CommonCircuitBreakerConfigurationProperties.InstanceProperties instance,
			CommonCircuitBreakerConfigurationProperties all, Clock clock) {
		CircuitBreakerConfig config = resilience4jChecks(key,
				() -> all.createCircuitBreakerConfig(name, instance, new CompositeCustomizer<>(List.of())));
		return CircuitBreakerConfig.from(config)
			.ignoreException(Failures.IGNORED.or(config.getIgnoreExceptionPredicate()))
			.clock(clock)
			.build();
	}

	static BulkheadConfig bulkhead(String key, String name,
			CommonBulkheadConfigurationProperties.InstanceProperties instance,
			CommonBulkheadConfigurationProperties all) {
		return resilience4jChecks(key,
				() -> all.createBulkheadConfig(instance, new CompositeCustomizer<>(List.of()), name));
	}

	private static <T> T resilience4jChecks(String key, Supplier<T> config) {
		try {
			return config.get();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(key + " is invalid: " + ex.getMessage(), ex);
		}
	}

}
