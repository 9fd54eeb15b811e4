package dev.bffgateway.core.replay;

import org.jspecify.annotations.Nullable;

/** Where stored requests live (DynamoDB); every change of status is conditional. Failures are thrown. */
interface RequestStore {

	/** @return whether it was stored; {@code false} when a request with its id exists already */
	boolean create(StoredRequest request);

	/** @return the stored request, read consistently, or {@code null} */
	@Nullable StoredRequest get(String id);

	/**
	 * Claims a request for replay: {@code PENDING}, or {@code REPLAYING} under a claim that has run out, becomes
	 * {@code REPLAYING} until {@code leaseUntil}.
	 * @return whether this worker holds it now
	 */
	boolean claim(String id, long now, long leaseUntil);

	/** Ends a claim with a final status. */
	void finish(String id, StoredRequest.Status status, int backendStatus, int attempts, long now);

	/** Ends a claim without a final status: {@code PENDING} again, with its attempts so far. */
	void release(String id, int attempts, long now);

	/** Removes a request stored a moment ago whose trigger could not be queued (so it is not answered as stored). */
	void delete(String id);

	/** @return when the oldest {@code PENDING} request was stored (epoch ms), or {@code null} when none is */
	@Nullable Long oldestPending();

}
