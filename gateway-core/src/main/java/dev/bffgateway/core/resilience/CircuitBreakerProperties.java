package dev.bffgateway.core.resilience;

import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Resilience4j's own circuit breaker configuration, bound from {@code resilience4j.circuitbreaker}: named
 * {@code configs} (gateway-core sets {@code default}, which every breaker starts from) and {@code instances} by
 * breaker name, each with every Resilience4j option and an optional {@code base-config}.
 *
 * <pre>
 * resilience4j.circuitbreaker:
 *   configs:
 *     default:   { sliding-window-size: 20, failure-rate-threshold: 50, wait-duration-in-open-state: 10s }
 *     strict:    { base-config: default, failure-rate-threshold: 20 }   # a route names it: breaker: strict
 *   instances:
 *     account:   { sliding-window-size: 40 }                           # the account dependency's breaker
 * </pre>
 *
 * A breaker is named after what it guards: a dependency ({@code account}) or a route ({@code orders}) for the
 * legacy side, or the only one, and {@code <name>:new} for the service replacing it.
 */
@ConfigurationProperties("resilience4j.circuitbreaker")
public class CircuitBreakerProperties extends CommonCircuitBreakerConfigurationProperties {

}
