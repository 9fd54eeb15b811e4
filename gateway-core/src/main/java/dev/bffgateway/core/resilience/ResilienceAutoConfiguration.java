package dev.bffgateway.core.resilience;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
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
 * Resilience4j's registries, configured the Resilience4j way ({@code resilience4j.circuitbreaker.*} and
 * {@code resilience4j.bulkhead.*}: {@code configs}, {@code instances}, {@code base-config}, every option), with
 * gateway-core's defaults as {@code configs.default} in {@code META-INF/gateway-defaults.properties}. Every
 * configured instance exists from startup (so its metrics and health show before the first call); any other
 * breaker (a route's side, a dependency without an instance entry) starts from {@code default} or from the
 * config its route names. Plus their metrics ({@code resilience4j.circuitbreaker.state} and friends), one log
 * line per state change, and the {@code circuitBreakers} health component.
 */
@AutoConfiguration
@EnableConfigurationProperties({ CircuitBreakerProperties.class, BulkheadProperties.class })
public final class ResilienceAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ResilienceAutoConfiguration.class);

	private static final String DEFAULT = "default";

	/** The clock breakers measure their open state with; tests replace it to step time without sleeping. */
	@Bean
	@ConditionalOnMissingBean
	Clock gatewayClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	CircuitBreakerRegistry circuitBreakerRegistry(CircuitBreakerProperties properties, Clock clock) {
		Map<String, CircuitBreakerConfig> configs = new LinkedHashMap<>();
		// the default always exists, so every breaker gets the clock and the failures no breaker counts
		properties.getConfigs().putIfAbsent(DEFAULT, new CommonCircuitBreakerConfigurationProperties.InstanceProperties());
		properties.getConfigs()
			.forEach((name, config) -> configs.put(name,
					Policies.breaker(Policies.BREAKERS + ".configs." + name, name, config, properties, clock)));
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(configs);
		// one line per state change (not per rejected call), for every breaker: dependencies' and routes' sides
		registry.getEventPublisher()
			.onEntryAdded((added) -> logTransitions(added.getAddedEntry()))
			.onEntryReplaced((replaced) -> logTransitions(replaced.getNewEntry()));
		properties.getInstances()
			.forEach((name, instance) -> registry.circuitBreaker(name,
					Policies.breaker(Policies.BREAKERS + ".instances." + name, name, instance, properties, clock)));
		return registry;
	}

	private static void logTransitions(CircuitBreaker breaker) {
		breaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("Circuit breaker '{}': {}", event.getCircuitBreakerName(),
					event.getStateTransition()));
	}

	@Bean
	@ConditionalOnMissingBean
	BulkheadRegistry bulkheadRegistry(BulkheadProperties properties) {
		Map<String, BulkheadConfig> configs = new LinkedHashMap<>();
		properties.getConfigs().putIfAbsent(DEFAULT, new CommonBulkheadConfigurationProperties.InstanceProperties());
		properties.getConfigs()
			.forEach((name, config) -> configs.put(name,
					Policies.bulkhead(Policies.BULKHEADS + ".configs." + name, name, config, properties)));
		BulkheadRegistry registry = BulkheadRegistry.of(configs);
		properties.getInstances()
			.forEach((name, instance) -> registry.bulkhead(name,
					Policies.bulkhead(Policies.BULKHEADS + ".instances." + name, name, instance, properties)));
		return registry;
	}

	@Bean
	MeterBinder circuitBreakerMetrics(CircuitBreakerRegistry registry) {
		return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry);
	}

	@Bean
	MeterBinder bulkheadMetrics(BulkheadRegistry registry) {
		return TaggedBulkheadMetrics.ofBulkheadRegistry(registry);
	}

	/**
	 * Resilience4j's own health indicator ships in {@code resilience4j-spring-boot3}, built on Boot 3's actuator
	 * API that Boot 4 moved ({@code org.springframework.boot.health.contributor}); this is its Boot 4 equivalent.
	 */
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
