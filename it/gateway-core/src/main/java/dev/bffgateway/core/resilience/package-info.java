/**
 * Per-dependency Resilience4j circuit breakers and bulkheads, built from
 * {@link dev.bffgateway.core.downstream.DependenciesProperties}, with their Micrometer binding and a health
 * contribution.
 */
@NullMarked
package dev.bffgateway.core.resilience;

import org.jspecify.annotations.NullMarked;
