package dev.bffgateway.core.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.core.functions.Either;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BudgetedRetryTest {

	private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

	private final RetryBudget budget = new RetryBudget(0.2, 5, Duration.ofSeconds(10), this.now::get);

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicInteger attempts = new AtomicInteger();

	/** Answers are status codes; 503 asks for a retry, with the wait in its second element (0: none given). */
	private BudgetedRetry retry(int maxAttempts, double random) {
		return new BudgetedRetry("account", new BudgetedRetry.Policy(maxAttempts, Duration.ofMillis(8), Duration.ofMillis(100)),
				this.budget, ConnectException.class::isInstance, (answer) -> retryAfter((int[]) answer), () -> random,
				this.meters, "bff.downstream.retries", Tags.of("dependency", "account"));
	}

	private static @Nullable Duration retryAfter(int[] answer) {
		return (answer[0] == 503) ? Duration.ofMillis(answer[1]) : null;
	}

	@SafeVarargs
	private Callable<int[]> script(Callable<int[]>... outcomes) {
		Deque<Callable<int[]>> left = new ArrayDeque<>(java.util.List.of(outcomes));
		return () -> {
			this.attempts.incrementAndGet();
			return left.removeFirst().call();
		};
	}

	private void traffic(int requests) {
		for (int i = 0; i < requests; i++) {
			this.budget.recordRequest();
		}
	}

	@Test
	void aRefusedConnectionIsRetriedWithinTheBudgetAndThePlaceGivenBack() throws Exception {
		traffic(20);
		int remaining = this.budget.remaining();

		int[] answer = retry(3, 0).call(script(() -> { throw new ConnectException("refused"); }, () -> new int[] { 200, 0 }));

		assertThat(answer).containsExactly(200, 0);
		assertThat(this.attempts).hasValue(2);
		assertThat(count("retried")).isEqualTo(1);
		assertThat(this.budget.remaining()).as("the retry's place is back").isEqualTo(remaining);
	}

	@Test
	void withoutAPlaceInTheBudgetTheFailureStands() {
		ConnectException refused = new ConnectException("refused");

		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> retry(3, 0).call(script(() -> { throw refused; }, () -> new int[] { 200, 0 })))
			.isSameAs(refused);
		assertThat(this.attempts).as("one request in 10 s leaves no budget for a retry").hasValue(1);
		assertThat(count("budget_exhausted")).isEqualTo(1);
		assertThat(count("retried")).isZero();
	}

	@Test
	void aRetryableAnswerIsRetriedAndWithoutBudgetReturnedAsItIs() throws Exception {
		traffic(20);
		assertThat(retry(2, 0).call(script(() -> new int[] { 503, 0 }, () -> new int[] { 200, 0 }))).containsExactly(200, 0);

		BudgetedRetry noBudget = new BudgetedRetry("user", new BudgetedRetry.Policy(2, Duration.ZERO, Duration.ofMillis(100)),
				new RetryBudget(0.2, 5, Duration.ofSeconds(10), this.now::get), ConnectException.class::isInstance,
				(answer) -> retryAfter((int[]) answer), () -> 0, this.meters, "bff.downstream.retries",
				Tags.of("dependency", "user"));
		this.attempts.set(0);
		assertThat(noBudget.call(script(() -> new int[] { 503, 0 }, () -> new int[] { 200, 0 }))).containsExactly(503, 0);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void aRetryAfterLongerThanTheLongestWaitIsNotWaitedFor() throws Exception {
		traffic(20);

		assertThat(retry(3, 0).call(script(() -> new int[] { 503, 5_000 }))).containsExactly(503, 5_000);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void otherFailuresAndOtherAnswersAreNeverRetried() throws Exception {
		traffic(20);
		IOException timeout = new IOException("read timed out");

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> retry(3, 0).call(script(() -> { throw timeout; })))
			.isSameAs(timeout);
		assertThat(retry(3, 0).call(script(() -> new int[] { 500, 0 }))).containsExactly(500, 0);
		assertThat(this.attempts).hasValue(2);
		assertThat(count("retried")).isZero();
	}

	@Test
	void afterTheLastAttemptTheLastFailureStands() {
		traffic(50);
		ConnectException last = new ConnectException("third");

		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> retry(3, 0).call(script(
				() -> { throw new ConnectException("first"); }, () -> { throw new ConnectException("second"); },
				() -> { throw last; })))
			.isSameAs(last);
		assertThat(this.attempts).hasValue(3);
		assertThat(count("retried")).isEqualTo(2);
	}

	@Test
	void waitsAreExponentialWithFullJitterOrWhatTheServerAsked() {
		BudgetedRetry retry = retry(5, 0.5);

		assertThat(retry.waitMillis(1, Either.left(new ConnectException()))).isEqualTo(4);
		assertThat(retry.waitMillis(2, Either.left(new ConnectException()))).isEqualTo(8);
		assertThat(retry.waitMillis(3, Either.left(new ConnectException()))).isEqualTo(16);
		assertThat(retry.waitMillis(10, Either.left(new ConnectException()))).as("at most the longest wait").isEqualTo(50);
		assertThat(retry.waitMillis(1, Either.right(new int[] { 503, 70 }))).isEqualTo(70);
	}

	@Test
	void eachAnswerARetryReplacesIsLetGoBeforeTheRetryAndTheReturnedOneIsNot() throws Exception {
		traffic(50);
		int[] first = { 503, 0 };
		int[] second = { 503, 0 };
		int[] last = { 200, 0 };
		java.util.List<int[]> discarded = new java.util.ArrayList<>();

		int[] answer = retry(3, 0).call(script(() -> first, () -> {
			assertThat(discarded).as("let go before the next attempt").containsExactly(first);
			return second;
		}, () -> last), discarded::add);

		assertThat(answer).isSameAs(last);
		assertThat(discarded).containsExactly(first, second);
	}

	@Test
	void anAnswerTheBudgetLetsStandIsNotLetGo() throws Exception {
		int[] unavailable = { 503, 0 };
		java.util.List<int[]> discarded = new java.util.ArrayList<>();

		assertThat(retry(2, 0).call(script(() -> unavailable, () -> new int[] { 200, 0 }), discarded::add))
			.isSameAs(unavailable);
		assertThat(discarded).isEmpty();
		assertThat(count("budget_exhausted")).isEqualTo(1);
	}

	@Test
	void onlyAFailureWithNoAnswerAtAllIsSafeToSendAgain() {
		assertThat(BudgetedRetry.noAnswer(new IOException("wrapped", new ConnectException("refused")))).isTrue();
		assertThat(BudgetedRetry.noAnswer(new org.apache.hc.client5.http.ConnectTimeoutException("connect timed out")))
			.isTrue();
		assertThat(BudgetedRetry.noAnswer(new org.apache.hc.core5.http.NoHttpResponseException("closed"))).isTrue();
		assertThat(BudgetedRetry.noAnswer(new java.net.NoRouteToHostException())).isTrue();
		assertThat(BudgetedRetry.noAnswer(new java.net.SocketTimeoutException("read timed out"))).isFalse();
		assertThat(BudgetedRetry.noAnswer(new java.net.SocketException("reset mid-answer"))).isFalse();
	}

	@Test
	void only502503And504MayBeReplacedWaitingWhatTheirRetryAfterAsks() {
		assertThat(BudgetedRetry.retryableStatus(503, null)).isEqualTo(Duration.ZERO);
		assertThat(BudgetedRetry.retryableStatus(502, " 2 ")).isEqualTo(Duration.ofSeconds(2));
		assertThat(BudgetedRetry.retryableStatus(504, "Fri, 27 Nov 2026 12:00:00 GMT")).as("a date is not waited for")
			.isEqualTo(Duration.ZERO);
		assertThat(BudgetedRetry.retryableStatus(503, "-1")).isEqualTo(Duration.ZERO);
		assertThat(BudgetedRetry.retryableStatus(500, null)).isNull();
		assertThat(BudgetedRetry.retryableStatus(501, "1")).isNull();
		assertThat(BudgetedRetry.retryableStatus(429, "1")).isNull();
	}

	@Test
	void theBudgetsRemainingPlacesAreAGauge() {
		retry(2, 0);
		traffic(10);

		assertThat(this.meters.get("bff.downstream.retries.budget").tags("dependency", "account").gauge().value())
			.isEqualTo(2.0);
	}

	private double count(String outcome) {
		return this.meters.get("bff.downstream.retries").tags("dependency", "account", "outcome", outcome).counter().count();
	}

}
