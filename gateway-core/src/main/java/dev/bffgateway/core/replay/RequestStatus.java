package dev.bffgateway.core.replay;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a client sees of a stored request: the {@code 202}'s body, and {@code GET /requests/{id}}'s.
 * @param id the request's id, as in its {@code Location}
 * @param route the route it came through
 * @param status {@code PENDING}, {@code REPLAYING}, {@code APPLIED}, {@code FAILED} or {@code EXPIRED}
 * @param attempts how often it was sent on replay
 * @param createdAt when it was stored
 * @param updatedAt when its status last changed
 * @param backendStatus the backend's status code once it answered for good, else {@code null}
 */
public record RequestStatus(String id, String route, String status, int attempts, Instant createdAt, Instant updatedAt,
		@Nullable Integer backendStatus) {

	static RequestStatus of(StoredRequest request) {
		return new RequestStatus(request.id(), request.route(), request.status().name(), request.attempts(),
				Instant.ofEpochMilli(request.createdAt()), Instant.ofEpochMilli(request.updatedAt()),
				(request.backendStatus() > 0) ? request.backendStatus() : null);
	}

}
