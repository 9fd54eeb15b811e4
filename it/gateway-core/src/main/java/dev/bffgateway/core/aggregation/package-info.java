/**
 * Parallel fan-out under one deadline with partial results: plain Java, no Spring.
 *
 * <p>A {@link dev.bffgateway.core.aggregation.FanOut} runs named {@link dev.bffgateway.core.aggregation.Part}s
 * concurrently and returns an {@link dev.bffgateway.core.aggregation.Aggregate}: for every part either its
 * value or the {@link dev.bffgateway.core.aggregation.Degradation} that kept it out.
 */
@NullMarked
package dev.bffgateway.core.aggregation;

import org.jspecify.annotations.NullMarked;
