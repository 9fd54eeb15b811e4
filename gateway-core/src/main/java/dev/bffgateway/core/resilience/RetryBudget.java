package dev.bffgateway.core.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many retries (and hedged attempts) may be in flight to one dependency at once: at most
 * {@code min(ratio × requests in the last window, max)}. Retries then add at most that share of load to a
 * service that is failing, however many callers retry, and none when it has seen no traffic to speak of. The
 * anchors are Envoy's retry budget ({@code budget_percent}, 20 %) and Linkerd's ({@code retryRatio} 0.2 over a
 * 10 s {@code ttl}).
 *
 * <p>Requests are counted in one-second buckets over the window, by an injected monotonic clock (nanoseconds), so
 * tests step time without sleeping. Thread-safe.
 */
public final class RetryBudget {

	private static final long BUCKET_NANOS = Duration.ofSeconds(1).toNanos();

	private final double ratio;

	private final int max;

	private final LongSupplier nanoTime;

	private final long[] counts;

	private final long[] epochs;

	private int inFlight;

	/**
	 * @param ratio the share of recent requests that may be retries in flight, in (0, 1]
	 * @param max the most retries in flight, whatever the traffic; at least 0
	 * @param window how far back requests count, whole seconds, at least 1 s
	 * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
	 */
	public RetryBudget(double ratio, int max, Duration window, LongSupplier nanoTime) {
		if (!(ratio > 0 && ratio <= 1)) {
			throw new IllegalArgumentException("ratio must be in (0, 1], but was " + ratio);
		}
		if (max < 0) {
			throw new IllegalArgumentException("max must be at least 0, but was " + max);
		}
		if (window.toSeconds() < 1) {
			throw new IllegalArgumentException("window must be at least 1s, but was " + window.toMillis() + "ms");
		}
		this.ratio = ratio;
		this.max = max;
		this.nanoTime = nanoTime;
		this.counts = new long[(int) window.toSeconds()];
		this.epochs = new long[this.counts.length];
	}

	/** Counts a request (a first attempt, never a retry) towards the budget. */
	public synchronized void recordRequest() {
		long epoch = this.nanoTime.getAsLong() / BUCKET_NANOS;
		int slot = (int) Math.floorMod(epoch, (long) this.counts.length);
		if (this.epochs[slot] != epoch) {
			this.epochs[slot] = epoch;
			this.counts[slot] = 0;
		}
		this.counts[slot]++;
	}

	/**
	 * Takes a place for one retry, if the budget has one; the caller gives it back with {@link #release()} when
	 * that attempt ends, however it ends.
	 * @return whether the retry may be sent
	 */
	public synchronized boolean tryAcquire() {
		if (this.inFlight >= allowed()) {
			return false;
		}
		this.inFlight++;
		return true;
	}

	/** Gives back the place of a retry that ended. */
	public synchronized void release() {
		if (this.inFlight == 0) {
			throw new IllegalStateException("release() without a place taken");
		}
		this.inFlight--;
	}

	/** @return how many more retries could start now */
	public synchronized int remaining() {
		return Math.max(0, allowed() - this.inFlight);
	}

	/** @return requests counted in the window up to now */
	public synchronized long recentRequests() {
		long epoch = this.nanoTime.getAsLong() / BUCKET_NANOS;
		long total = 0;
		for (int i = 0; i < this.counts.length; i++) {
			if (epoch - this.epochs[i] < this.counts.length && this.epochs[i] <= epoch) {
				total += this.counts[i];
			}
		}
		return total;
	}

	private int allowed() {
		return (int) Math.min(this.max, (long) Math.floor(this.ratio * recentRequests()));
	}

}
