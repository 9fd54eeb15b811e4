package dev.bffgateway.core.circuit;

import org.jspecify.annotations.Nullable;

/**
 * One circuit's shared verdict, as the table holds it.
 * @param circuit the breaker's name, e.g. {@code activity} or {@code orders:new}
 * @param open whether the circuit is open fleet-wide
 * @param openedBy the instance that opened it last
 * @param openUntil when an open circuit's window ends (epoch milliseconds): then one instance may probe
 * @param version bumped by every change of state, so a stale write is refused
 * @param probeBy the instance holding the probe lease, if any
 * @param probeUntil when that lease ends (epoch milliseconds)
 */
record Verdict(String circuit, boolean open, @Nullable String openedBy, long openUntil, long version,
		@Nullable String probeBy, long probeUntil) {

	/** @return whether an instance holds the probe lease at {@code now} */
	boolean probing(long now) {
		return this.probeBy != null && this.probeUntil > now;
	}

}
