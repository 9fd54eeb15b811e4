package dev.bffgateway.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves: tests never wait on wall time. */
public final class MovableClock extends Clock {

	private final AtomicReference<Instant> now;

	public MovableClock(Instant start) {
		this.now = new AtomicReference<>(start);
	}

	public void advance(Duration by) {
		this.now.updateAndGet((instant) -> instant.plus(by));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

}
