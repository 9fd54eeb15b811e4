package dev.bffgateway.core.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class HedgeTest {

	private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

	private final RetryBudget budget = new RetryBudget(0.2, 5, Duration.ofSeconds(10), this.now::get);

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final AtomicInteger attempts = new AtomicInteger();

	private final CountDownLatch slowFirst = new CountDownLatch(1);

	private final AtomicBoolean firstInterrupted = new AtomicBoolean();

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	private final CountDownLatch firstEntered = new CountDownLatch(1);

	/**
	 * A hedge whose delay is asked for only once the first attempt has begun, so attempt number 1 is always the
	 * first attempt's and never the hedge's (both run on threads of their own).
	 */
	private Hedge hedge(Duration delay) {
		return new Hedge(this.budget, () -> {
			try {
				this.firstEntered.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return delay;
		}, this.executor, this.meters, "bff.downstream.hedges", Tags.of("dependency", "activity"));
	}

	/** @return this attempt's number, from 1 */
	private int enter() {
		int number = this.attempts.incrementAndGet();
		if (number == 1) {
			this.firstEntered.countDown();
		}
		return number;
	}

	private void traffic(int requests) {
		for (int i = 0; i < requests; i++) {
			this.budget.recordRequest();
		}
	}

	/** The first attempt waits until released (or interrupted); later ones answer with their number. */
	private int attempt() throws Exception {
		int number = enter();
		if (number == 1) {
			try {
				this.slowFirst.await();
			}
			catch (InterruptedException ex) {
				this.firstInterrupted.set(true);
				throw ex;
			}
		}
		return number;
	}

	@Test
	void aFastAnswerIsNeverHedged() throws Exception {
		traffic(20);
		this.slowFirst.countDown();

		assertThat(hedge(Duration.ofMinutes(1)).call(this::attempt, (answer) -> true)).isEqualTo(1);
		assertThat(this.attempts).hasValue(1);
		assertThat(count("won") + count("lost")).isZero();
	}

	@Test
	void aSlowAnswerIsHedgedTheHedgeWinsAndTheSlowOneIsCancelled() throws Exception {
		traffic(20);
		int remaining = this.budget.remaining();

		assertThat(hedge(Duration.ZERO).call(this::attempt, (answer) -> true)).isEqualTo(2);

		assertThat(count("won")).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).untilTrue(this.firstInterrupted);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.budget.remaining() == remaining);
	}

	@Test
	void withoutAPlaceInTheBudgetTheFirstAttemptIsWaitedFor() throws Exception {
		CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
			try {
				return hedge(Duration.ZERO).call(this::attempt, (a) -> true);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, this.executor);

		await().atMost(Duration.ofSeconds(5)).until(() -> count("budget_exhausted") == 1);
		this.slowFirst.countDown();

		assertThat(answer.get()).isEqualTo(1);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void aFirstAttemptFailingAfterTheHedgeWasSentLeavesTheHedgesAnswer() throws Exception {
		traffic(20);
		CountDownLatch hedged = new CountDownLatch(1);
		CountDownLatch firstFailed = new CountDownLatch(1);

		int answer = hedge(Duration.ZERO).call(() -> {
			if (enter() == 1) {
				hedged.await();
				firstFailed.countDown();
				throw new IOException("reset");
			}
			hedged.countDown();
			firstFailed.await();
			return 7;
		}, (a) -> true);

		assertThat(answer).isEqualTo(7);
	}

	@Test
	void whenNeitherAnswersWellTheFirstAttemptsOutcomeStands() {
		traffic(20);
		IOException first = new IOException("first");
		CountDownLatch hedged = new CountDownLatch(1);

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> hedge(Duration.ZERO).call(() -> {
			if (enter() == 1) {
				hedged.await();
				throw first;
			}
			hedged.countDown();
			throw new IOException("hedge");
		}, (a) -> true)).isSameAs(first);
		assertThat(this.attempts).hasValue(2);
	}

	@Test
	void aBadAnswerDoesNotWin() throws Exception {
		traffic(20);
		CountDownLatch hedged = new CountDownLatch(1);
		CountDownLatch firstAnswering = new CountDownLatch(1);

		int answer = hedge(Duration.ZERO).call(() -> {
			if (enter() == 1) {
				hedged.await();
				firstAnswering.countDown();
				return 503;
			}
			hedged.countDown();
			firstAnswering.await();
			return 200;
		}, (a) -> a < 500);

		assertThat(answer).isEqualTo(200);
	}

	@Test
	void anAnswerWithinTheDelayIsTakenAsItIs() throws Exception {
		traffic(20);

		assertThat(hedge(Duration.ofMinutes(1)).call(() -> {
			enter();
			return 503;
		}, (a) -> a < 500))
			.as("slowness is hedged, a failure is the retry's business").isEqualTo(503);
	}

	private double count(String outcome) {
		return this.meters.get("bff.downstream.hedges").tags("dependency", "activity", "outcome", outcome).counter().count();
	}

}
