package dev.bffgateway.core.resilience;

import java.util.Comparator;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports each dependency's breaker state and failure rate. Always UP: a BFF with an open breaker still
 * answers (degraded), so taking it out of rotation would turn one dead dependency into a dead client.
 */
final class CircuitBreakersHealthIndicator implements HealthIndicator {

	private final CircuitBreakerRegistry registry;

	CircuitBreakersHealthIndicator(CircuitBreakerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Health health() {
		Health.Builder builder = Health.up();
		this.registry.getAllCircuitBreakers()
			.stream()
			.sorted(Comparator.comparing(CircuitBreaker::getName))
			.forEach((breaker) -> builder.withDetail(breaker.getName(),
					Map.of("state", breaker.getState().name(), "failureRate",
							breaker.getMetrics().getFailureRate(), "bufferedCalls",
							breaker.getMetrics().getNumberOfBufferedCalls())));
		return builder.build();
	}

}
