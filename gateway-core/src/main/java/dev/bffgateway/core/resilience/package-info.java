/**
 * Resilience4j circuit breakers and bulkheads, configured with Resilience4j's own properties
 * ({@code resilience4j.circuitbreaker.*}, {@code resilience4j.bulkhead.*}), with their Micrometer binding, a
 * health contribution, and the failures no breaker counts ({@link dev.bffgateway.core.resilience.NotTheBackendsFault}).
 * Knows nothing of routes or dependencies: the packages that use breakers name them.
 */
@NullMarked
package dev.bffgateway.core.resilience;

import org.jspecify.annotations.NullMarked;
