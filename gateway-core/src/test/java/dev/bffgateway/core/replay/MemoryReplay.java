package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The store's and the queue's conditions, in memory, for tests of the replay logic without store processes; the
 * DynamoDB store and the SQS queue run against moto and ElasticMQ in it/ ({@code StoreAndReplayTest}).
 */
final class MemoryReplay {

	private MemoryReplay() {
	}

	static final class Store implements RequestStore {

		final Map<String, StoredRequest> items = new ConcurrentHashMap<>();

		final AtomicInteger reads = new AtomicInteger();

		@Override
		public synchronized boolean create(StoredRequest request) {
			return this.items.putIfAbsent(request.id(), request) == null;
		}

		@Override
		public @Nullable StoredRequest get(String id) {
			this.reads.incrementAndGet();
			return this.items.get(id);
		}

		@Override
		public synchronized boolean claim(String id, long now, long leaseUntil) {
			StoredRequest r = this.items.get(id);
			boolean free = r.status() == StoredRequest.Status.PENDING
					|| (r.status() == StoredRequest.Status.REPLAYING && r.leaseUntil() < now);
			if (free) {
				this.items.put(id, with(r, StoredRequest.Status.REPLAYING, r.attempts(), 0, now, leaseUntil));
			}
			return free;
		}

		@Override
		public synchronized void finish(String id, StoredRequest.Status status, int backendStatus, int attempts, long now) {
			this.items.put(id, with(this.items.get(id), status, attempts, backendStatus, now, 0));
		}

		@Override
		public synchronized void release(String id, int attempts, long now) {
			this.items.put(id, with(this.items.get(id), StoredRequest.Status.PENDING, attempts, 0, now, 0));
		}

		@Override
		public void delete(String id) {
			this.items.remove(id);
		}

		@Override
		public @Nullable Long oldestPending() {
			return this.items.values().stream().filter((r) -> r.status() == StoredRequest.Status.PENDING)
				.map(StoredRequest::createdAt).min(Long::compare).orElse(null);
		}

		private static StoredRequest with(StoredRequest r, StoredRequest.Status status, int attempts, int backendStatus,
				long now, long leaseUntil) {
			return new StoredRequest(r.id(), r.route(), r.owner(), r.idempotencyKey(), r.method(), r.path(), r.query(),
					r.contentType(), r.body(), r.fingerprint(), r.group(), r.stickyKey(), status, attempts, r.createdAt(),
					now, backendStatus, leaseUntil);
		}

	}

	static final class Queue implements ReplayQueue {

		final List<String> sent = new ArrayList<>();

		final List<String> deadLetters = new ArrayList<>();

		@Override
		public void send(String route, String requestId, String group) {
			this.sent.add(requestId);
		}

		@Override
		public List<Message> receive(int max, Duration wait) {
			return List.of();
		}

		@Override
		public void delete(String receipt) {
		}

		@Override
		public void delay(String receipt, Duration delay) {
		}

		@Override
		public void deadLetter(String route, String requestId, String group) {
			this.deadLetters.add(requestId);
		}

		@Override
		public long depth() {
			return this.sent.size();
		}

	}

}
