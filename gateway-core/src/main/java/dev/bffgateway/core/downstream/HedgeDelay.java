package dev.bffgateway.core.downstream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.jspecify.annotations.Nullable;

/**
 * How long a dependency's read has before it is hedged: the measured percentile of its successful calls (the
 * {@code success} timer's published p95, a rolling window), once it has seen enough of them; before that, the
 * configured delay. Re-read at most once a second, so asking costs nothing on the request path.
 */
final class HedgeDelay implements Supplier<Duration> {

	private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Supplier<@Nullable Timer> timer;

	private final double percentile;

	private final Duration configured;

	private final long minimumCalls;

	private final LongSupplier nanoTime;

	private volatile Duration current;

	private volatile long readAt = Long.MIN_VALUE;

	/**
	 * @param timer the dependency's success timer, publishing {@code percentile}
	 * @param percentile e.g. 0.95
	 * @param configured the delay until enough calls were measured
	 * @param minimumCalls how many successful calls make the percentile worth trusting
	 * @param nanoTime a monotonic clock
	 */
	HedgeDelay(Supplier<@Nullable Timer> timer, double percentile, Duration configured, long minimumCalls,
			LongSupplier nanoTime) {
		this.timer = timer;
		this.percentile = percentile;
		this.configured = configured;
		this.minimumCalls = minimumCalls;
		this.nanoTime = nanoTime;
		this.current = configured;
	}

	@Override
	public Duration get() {
		long now = this.nanoTime.getAsLong();
		if (now - this.readAt >= REFRESH_NANOS || this.readAt == Long.MIN_VALUE) {
			this.readAt = now;
			this.current = measured();
		}
		return this.current;
	}

	private Duration measured() {
		Timer timer = this.timer.get();
		if (timer == null || timer.count() < this.minimumCalls) {
			return this.configured;
		}
		for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
			if (value.percentile() == this.percentile && value.value(TimeUnit.NANOSECONDS) > 0) {
				return Duration.ofNanos((long) value.value(TimeUnit.NANOSECONDS));
			}
		}
		return this.configured;
	}

}
