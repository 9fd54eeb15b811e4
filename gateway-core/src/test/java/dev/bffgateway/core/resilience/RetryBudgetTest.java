package dev.bffgateway.core.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RetryBudgetTest {

	private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

	private final RetryBudget budget = new RetryBudget(0.2, 3, Duration.ofSeconds(10), this.now::get);

	@Test
	void noRetriesWithoutRecentRequests() {
		assertThat(this.budget.remaining()).isZero();
		assertThat(this.budget.tryAcquire()).isFalse();
	}

	@Test
	void aFifthOfRecentRequestsMayBeRetriesInFlight() {
		requests(10);
		assertThat(this.budget.remaining()).isEqualTo(2);
		assertThat(this.budget.tryAcquire()).isTrue();
		assertThat(this.budget.tryAcquire()).isTrue();
		assertThat(this.budget.tryAcquire()).isFalse();
		this.budget.release();
		assertThat(this.budget.remaining()).isEqualTo(1);
		assertThat(this.budget.tryAcquire()).isTrue();
	}

	@Test
	void neverMoreThanTheMaxInFlight() {
		requests(1000);
		assertThat(this.budget.remaining()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(this.budget.tryAcquire()).isTrue();
		}
		assertThat(this.budget.tryAcquire()).isFalse();
	}

	@Test
	void requestsOlderThanTheWindowNoLongerCount() {
		requests(10);
		step(Duration.ofSeconds(5));
		requests(5);
		assertThat(this.budget.recentRequests()).isEqualTo(15);
		step(Duration.ofSeconds(5));
		assertThat(this.budget.recentRequests()).as("the first 10 are 10 s old").isEqualTo(5);
		assertThat(this.budget.remaining()).isEqualTo(1);
		step(Duration.ofSeconds(5));
		assertThat(this.budget.recentRequests()).isZero();
		step(Duration.ofSeconds(30));
		requests(1);
		assertThat(this.budget.recentRequests()).as("a reused bucket starts from zero").isEqualTo(1);
	}

	@Test
	void aReleaseWithoutAPlaceIsABug() {
		assertThatIllegalStateException().isThrownBy(this.budget::release).withMessage("release() without a place taken");
	}

	@Test
	void settingsOutOfRangeAreRefusedNamingTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(0, 3, Duration.ofSeconds(10), this.now::get))
			.withMessage("ratio must be in (0, 1], but was 0.0");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(0.2, -1, Duration.ofSeconds(10), this.now::get))
			.withMessage("max must be at least 0, but was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(0.2, 3, Duration.ofMillis(500), this.now::get))
			.withMessage("window must be at least 1s, but was 500ms");
	}

	private void requests(int count) {
		for (int i = 0; i < count; i++) {
			this.budget.recordRequest();
		}
	}

	private void step(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
