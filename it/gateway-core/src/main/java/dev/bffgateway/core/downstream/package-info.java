/**
 * Clients for the services a BFF depends on: one {@link dev.bffgateway.core.downstream.DownstreamClient} per
 * configured dependency, each with its own timeouts, circuit breaker and bulkhead, trace propagation and
 * metrics. Configured under {@code gateway.dependencies} ({@link dev.bffgateway.core.downstream.DependenciesProperties}).
 */
@NullMarked
package dev.bffgateway.core.downstream;

import org.jspecify.annotations.NullMarked;
