package dev.bffgateway.core.promotion;

import java.time.Instant;

/**
 * One decision on a route's weight, with the figures that caused it.
 * @param at when it was taken
 * @param kind {@code promote}, {@code rollback}, {@code hold} (too few requests, or held after a rollback),
 * {@code pinned}, or an operator's {@code pin}, {@code unpin}, {@code rollback-now}
 * @param from the weight before
 * @param to the weight after
 * @param requests the new side's requests in the interval
 * @param errors its errors
 * @param comparisons the parallel run's comparisons in the interval
 * @param mismatches those that did not match
 * @param by the instance or the operator that took it
 */
public record Decision(Instant at, String kind, int from, int to, long requests, long errors, long comparisons,
		long mismatches, String by) {

	/** @return errors ÷ requests, 0 without requests */
	public double errorRate() {
		return (this.requests == 0) ? 0 : (double) this.errors / this.requests;
	}

	/** @return mismatches ÷ comparisons, 0 without comparisons */
	public double mismatchRate() {
		return (this.comparisons == 0) ? 0 : (double) this.mismatches / this.comparisons;
	}

}
