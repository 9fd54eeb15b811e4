package dev.bffgateway.core.circuit;

import java.util.List;

/**
 * Where the fleet's verdicts live (DynamoDB in production and in tests, through moto). Every write is conditional:
 * it returns {@code false}, changing nothing, when another instance got there first. Any other failure (the store
 * unreachable, throttled, slow) is thrown.
 */
interface CircuitStore {

	/** @return every verdict of this BFF's circuits */
	List<Verdict> read();

	/**
	 * Opens a circuit that is closed (or was never opened): a new window until {@code openUntil}.
	 * @return whether this instance's verdict was recorded; {@code false} when the circuit is open already
	 */
	boolean open(String circuit, String instance, long openUntil, long now);

	/**
	 * Takes the probe lease of an open circuit whose window has ended, if nobody holds it.
	 * @param version the verdict's version as read
	 * @return whether this instance holds the lease now
	 */
	boolean acquireProbe(String circuit, long version, String instance, long leaseUntil, long now);

	/**
	 * The probe succeeded: closes the circuit for all.
	 * @return whether it was closed; {@code false} when this instance no longer held the lease of that version
	 */
	boolean close(String circuit, long version, String instance, long now);

	/**
	 * The probe failed: opens a new window until {@code openUntil}.
	 * @return whether it was recorded; {@code false} when this instance no longer held the lease of that version
	 */
	boolean reopen(String circuit, long version, String instance, long openUntil, long now);

}
