package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The container's replay: a background thread long-polls the queue (up to ten messages, waiting up to a second),
 * replays them ({@link Replays}), deletes what is done, dead-letters what is given up and lets the rest come back
 * after its backoff; when no message of a batch could be tried (its route's breakers are open) it pauses for
 * {@code breaker-open-delay} rather than cycle the queue. Every ten seconds it reads the queue's depth and the oldest pending request's age for the
 * gauges. A queue that fails is logged once per outage and polled again a second later.
 */
final class ReplayPoller implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ReplayPoller.class);

	private static final Duration WAIT = Duration.ofSeconds(1);

	private static final long GAUGE_PERIOD_NANOS = Duration.ofSeconds(10).toNanos();

	private final ReplayQueue queue;

	private final Replays replays;

	private final RequestStore store;

	private final Duration failureDelay;

	private final Duration waitDelay;

	private final AtomicLong depth = new AtomicLong();

	private final AtomicLong oldestPendingAt = new AtomicLong();

	private volatile @Nullable Thread thread;

	private long gaugesReadAt = Long.MIN_VALUE;

	ReplayPoller(ReplayQueue queue, Replays replays, RequestStore store, Duration failureDelay, Duration waitDelay) {
		this.waitDelay = waitDelay;
		this.queue = queue;
		this.replays = replays;
		this.store = store;
		this.failureDelay = failureDelay;
	}

	@Override
	public void start() {
		this.thread = Thread.ofPlatform().daemon().name("replay-poller").start(this::poll);
	}

	private void poll() {
		boolean failing = false;
		while (!Thread.currentThread().isInterrupted()) {
			try {
				readGauges();
				List<ReplayQueue.Message> messages = this.queue.receive(10, WAIT);
				Map<String, ReplayWorker.Outcome> outcomes = this.replays.run(messages, this.failureDelay);
				for (ReplayQueue.Message message : messages) {
					settle(message, outcomes.get(message.messageId()));
				}
				if (!messages.isEmpty() && outcomes.values().stream().allMatch((o) -> o.kind() == ReplayWorker.Kind.WAIT)) {
					// every route of the batch is unavailable: pause instead of cycling the queue
					Thread.sleep(this.waitDelay);
				}
				if (failing) {
					logger.info("Replay: the queue answers again");
					failing = false;
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				if (!failing) {
					logger.warn("Replay: the queue or the store failed ({}); polling again every second",
							ex.getClass().getSimpleName());
					failing = true;
				}
				try {
					Thread.sleep(WAIT);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	private void settle(ReplayQueue.Message message, ReplayWorker.@Nullable Outcome outcome) {
		if (outcome == null || outcome.comesBack()) {
			this.queue.delay(message.receipt(), (outcome != null) ? outcome.delay() : this.failureDelay);
		}
		else {
			this.queue.delete(message.receipt());
		}
	}

	private void readGauges() {
		long now = System.nanoTime();
		if (this.gaugesReadAt != Long.MIN_VALUE && now - this.gaugesReadAt < GAUGE_PERIOD_NANOS) {
			return;
		}
		this.gaugesReadAt = now;
		this.depth.set(this.queue.depth());
		Long oldest = this.store.oldestPending();
		this.oldestPendingAt.set((oldest != null) ? oldest : 0);
	}

	/** @return the queue's depth when last read */
	long depth() {
		return this.depth.get();
	}

	/** @return when the oldest pending request was stored (epoch ms) when last read, 0 when none was */
	long oldestPendingAt() {
		return this.oldestPendingAt.get();
	}

	@Override
	public void stop() {
		Thread running = this.thread;
		this.thread = null;
		if (running != null) {
			running.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

}
