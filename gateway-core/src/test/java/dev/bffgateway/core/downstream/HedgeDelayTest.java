package dev.bffgateway.core.downstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HedgeDelayTest {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final Timer timer = Timer.builder("bff.downstream.calls").publishPercentiles(0.95).register(this.meters);

	private final AtomicLong now = new AtomicLong();

	private final HedgeDelay delay = new HedgeDelay(() -> this.timer, 0.95, Duration.ofMillis(100), 50, this.now::get);

	@Test
	void theConfiguredDelayUntilEnoughCallsWereMeasured() {
		record(49, Duration.ofMillis(10));

		assertThat(this.delay.get()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void thenTheMeasuredPercentileReReadAtMostOnceASecond() {
		record(95, Duration.ofMillis(10));
		record(5, Duration.ofMillis(400));
		Duration measured = this.delay.get();
		assertThat(measured).isBetween(Duration.ofMillis(9), Duration.ofMillis(11));

		record(100, Duration.ofMillis(400));
		assertThat(this.delay.get()).as("within the second: the value read").isEqualTo(measured);

		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.delay.get()).isGreaterThan(Duration.ofMillis(300));
	}

	@Test
	void noTimerYetIsTheConfiguredDelay() {
		HedgeDelay none = new HedgeDelay(() -> null, 0.95, Duration.ofMillis(70), 50, this.now::get);

		assertThat(none.get()).isEqualTo(Duration.ofMillis(70));
	}

	private void record(int times, Duration duration) {
		for (int i = 0; i < times; i++) {
			this.timer.record(duration);
		}
	}

}
