/**
 * Circuit state shared across instances and Lambda sandboxes: each instance keeps counting in its own Resilience4j
 * breakers, and the verdicts are shared. An instance whose breaker opens records the verdict in a DynamoDB table;
 * every instance learns the table's verdicts from a cache refreshed off the request path and holds its own breaker
 * open until the verdict's {@code open-until}; then one instance fleet-wide wins a probe lease and alone lets calls
 * through half-open, and its outcome closes the circuit for all or opens it again. An operator override per
 * circuit ({@link dev.bffgateway.core.circuit.CircuitOverride}) comes from SSM Parameter Store. The store failing
 * never fails a request: the instance goes on alone (local-only) and resyncs when the store is back.
 * {@link dev.bffgateway.core.circuit.SharedCircuits} is the capability; the store and the override source are
 * hidden behind it.
 */
@NullMarked
package dev.bffgateway.core.circuit;

import org.jspecify.annotations.NullMarked;
