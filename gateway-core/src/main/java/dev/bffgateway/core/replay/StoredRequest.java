package dev.bffgateway.core.replay;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One stored write, as the table holds it.
 * @param id derived from the owner, the route and the idempotency key: the same key again is the same request
 * @param route the route's id
 * @param owner the verified user who sent it, or {@code null} on a public route
 * @param idempotencyKey the client's {@code Idempotency-Key}, forwarded on replay
 * @param method the request's method
 * @param path the path as received
 * @param query the query as received, or {@code null}
 * @param contentType the body's type, or {@code null}
 * @param body the body
 * @param fingerprint SHA-256 of method, path, query and body: the same key with another request is refused
 * @param group the message group: the route's sticky key, else the owner, else the route
 * @param stickyKey the sticky key the side was chosen by, or {@code null}
 * @param status where it stands
 * @param attempts how often it was sent on replay
 * @param createdAt when it was stored (epoch ms)
 * @param updatedAt when its status last changed (epoch ms)
 * @param backendStatus the backend's status code once it answered for good, else 0
 * @param leaseUntil while {@code REPLAYING}: when the replaying worker's claim ends (epoch ms)
 */
record StoredRequest(String id, String route, @Nullable String owner, String idempotencyKey, String method,
		String path, @Nullable String query, @Nullable String contentType, byte[] body, String fingerprint,
		String group, @Nullable String stickyKey, Status status, int attempts, long createdAt, long updatedAt,
		int backendStatus, long leaseUntil) {

	/** Where a stored request stands. */
	enum Status {

		/** Stored, waiting for its replay. */
		PENDING,

		/** Being sent by a worker. */
		REPLAYING,

		/** The backend took it (2xx). */
		APPLIED,

		/** The backend refused it (4xx), or it failed every attempt: kept for the status endpoint, not retried. */
		FAILED,

		/** Older than the maximum age before it could be sent: never sent. */
		EXPIRED;

		static final Set<Status> FINAL = Set.of(APPLIED, FAILED, EXPIRED);

		boolean isFinal() {
			return FINAL.contains(this);
		}

	}

}
