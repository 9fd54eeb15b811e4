/**
 * The ops page, {@code /ops} on the management port: per route the weight and the observed split, error and mismatch
 * rates, breaker states, the promotion with its history and a chart, the last mismatches, the last reload; the
 * dashboard's dependencies and their breakers; and the operator's actions (pin, unpin, roll back now), which need an
 * operator token and are audited. One self-contained HTML page, readable without JavaScript, refreshing itself.
 */
@NullMarked
package dev.bffgateway.core.ops;

import org.jspecify.annotations.NullMarked;
