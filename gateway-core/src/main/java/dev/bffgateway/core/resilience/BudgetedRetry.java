package dev.bffgateway.core.resilience;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.jspecify.annotations.Nullable;

/**
 * Retries that are an explicit, visible decision: Resilience4j's {@link Retry} does the mechanics (attempts,
 * waits), and every retry must first take a place in the caller's {@link RetryBudget}; without one, the failure
 * or answer that asked for it stands. Waits are exponential with full jitter ({@code random × min(max, initial ×
 * 2^(n-1))}), or the server's {@code Retry-After} when it gives one no longer than the longest wait; a wait is
 * cut short by the caller's interruption (the dashboard's deadline). Counted in {@code <meter>{…,outcome}}:
 * {@code retried} per retry sent, {@code budget_exhausted} per retry the budget refused; the budget's remaining
 * places are a gauge {@code <meter>.budget}. Thread-safe.
 */
public final class BudgetedRetry {

	/**
	 * How one caller retries.
	 * @param maxAttempts attempts in all, the first included; 1 turns retries off
	 * @param initialBackoff the longest wait before the first retry
	 * @param maxBackoff the longest wait before any retry, and the longest {@code Retry-After} honoured
	 */
	public record Policy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

		public Policy {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("max-attempts must be at least 1, but was " + maxAttempts);
			}
		}

	}

	private final RetryBudget budget;

	private final Policy policy;

	private final Predicate<Throwable> retryableFailure;

	private final Function<Object, @Nullable Duration> retryableAnswer;

	private final DoubleSupplier random;

	private final Retry retry;

	private final Counter retried;

	private final Counter exhausted;

	/**
	 * @param name the caller's name, for the retry and the meters' tags
	 * @param policy attempts and waits
	 * @param budget the caller's budget
	 * @param retryableFailure which failures may be retried (e.g. a refused connection, never a read timeout)
	 * @param retryableAnswer for an answer that may be retried (e.g. a 503), the wait it asks for
	 * ({@link Duration#ZERO} when it names none); {@code null} for any other answer
	 * @param random uniform in [0, 1), for the jitter
	 * @param meters where the retries are counted
	 * @param meter the meters' name, e.g. {@code bff.downstream.retries}
	 * @param tags the meters' tags, e.g. {@code dependency=account}
	 */
	public BudgetedRetry(String name, Policy policy, RetryBudget budget, Predicate<Throwable> retryableFailure,
			Function<Object, @Nullable Duration> retryableAnswer, DoubleSupplier random, MeterRegistry meters,
			String meter, Tags tags) {
		this.budget = budget;
		this.policy = policy;
		this.retryableFailure = retryableFailure;
		this.retryableAnswer = retryableAnswer;
		this.random = random;
		this.retry = Retry.of(name, RetryConfig.<Object>custom()
			.maxAttempts(policy.maxAttempts())
			.retryOnException((failure) -> !(failure instanceof NoBudget) && retryableFailure.test(failure))
			.retryOnResult(this::retryable)
			.intervalBiFunction(this::waitMillis)
			.failAfterMaxAttempts(false)
			.build());
		this.retried = Counter.builder(meter).tags(tags).tag("outcome", "retried").register(meters);
		this.exhausted = Counter.builder(meter).tags(tags).tag("outcome", "budget_exhausted").register(meters);
		Gauge.builder(meter + ".budget", budget, RetryBudget::remaining)
			.tags(tags)
			.description("Retries that could start now, within the budget")
			.register(meters);
	}

	/**
	 * Makes one attempt, and retries it as the policy and the budget allow.
	 * @param attempt one attempt: an answer, or an exception
	 * @return the last attempt's answer
	 * @throws Exception the last attempt's failure
	 */
	public <T> T call(Callable<T> attempt) throws Exception {
		return call(attempt, (answer) -> {
		});
	}

	/**
	 * Makes one attempt, and retries it as the policy and the budget allow, letting go of each answer that is
	 * retried before the next attempt starts (an answer that holds a connection, such as a proxied response not
	 * yet read, must give it back to the pool).
	 * @param attempt one attempt: an answer, or an exception
	 * @param discard lets go of an answer that a retry replaces; never called for the answer returned
	 * @return the last attempt's answer
	 * @throws Exception the last attempt's failure
	 */
	public <T> T call(Callable<T> attempt, Consumer<? super T> discard) throws Exception {
		this.budget.recordRequest();
		Attempts<T> attempts = new Attempts<>(attempt, discard);
		try {
			return this.retry.executeCallable(attempts);
		}
		catch (NoBudget refused) {
			return attempts.previous();
		}
	}

	/**
	 * @return whether a failed attempt got no answer at all, so sending it again cannot do anything twice: the
	 * connection was refused or could not be opened in time, or closed before any response byte. A read timeout is
	 * not: the called system may be working on it, and its time is spent.
	 */
	public static boolean noAnswer(Throwable failure) {
		return has(failure, ConnectException.class) || has(failure, ConnectTimeoutException.class)
				|| has(failure, NoHttpResponseException.class) || has(failure, NoRouteToHostException.class);
	}

	private static boolean has(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * @param status an answer's HTTP status
	 * @param retryAfter its {@code Retry-After} header, or {@code null}
	 * @return the wait a {@code 502}, {@code 503} or {@code 504} asks for ({@link Duration#ZERO} when it names none
	 * in seconds), or {@code null} for any other status: the answers a retry may replace
	 */
	public static @Nullable Duration retryableStatus(int status, @Nullable String retryAfter) {
		if (status != 502 && status != 503 && status != 504) {
			return null;
		}
		Duration asked = retryAfter(retryAfter);
		return (asked != null) ? asked : Duration.ZERO;
	}

	/** @return a {@code Retry-After} in seconds, or {@code null} when absent or not a number of seconds */
	static @Nullable Duration retryAfter(@Nullable String header) {
		if (header == null) {
			return null;
		}
		try {
			long seconds = Long.parseLong(header.trim());
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private boolean retryable(@Nullable Object answer) {
		Duration wait = (answer != null) ? this.retryableAnswer.apply(answer) : null;
		return wait != null && wait.compareTo(this.policy.maxBackoff()) <= 0;
	}

	long waitMillis(Integer attempt, Either<Throwable, Object> outcome) {
		if (outcome.isRight() && outcome.get() != null) {
			Duration asked = this.retryableAnswer.apply(outcome.get());
			if (asked != null && !asked.isZero()) {
				return asked.toMillis();
			}
		}
		long ceiling = Math.min(this.policy.maxBackoff().toMillis(),
				this.policy.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
		return (long) (this.random.getAsDouble() * ceiling);
	}

	/** One call's attempts: the first as it is, each retry only with a place in the budget. */
	private final class Attempts<T> implements Callable<T> {

		private final Callable<T> attempt;

		private final Consumer<? super T> discard;

		private int made;

		private @Nullable T answer;

		private @Nullable Exception failure;

		Attempts(Callable<T> attempt, Consumer<? super T> discard) {
			this.attempt = attempt;
			this.discard = discard;
		}

		@Override
		public T call() throws Exception {
			if (++this.made > 1) {
				if (!BudgetedRetry.this.budget.tryAcquire()) {
					BudgetedRetry.this.exhausted.increment();
					throw new NoBudget();
				}
				BudgetedRetry.this.retried.increment();
				T replaced = this.answer;
				if (replaced != null && this.failure == null) {
					this.answer = null;
					this.discard.accept(replaced);
				}
				try {
					return remember();
				}
				finally {
					BudgetedRetry.this.budget.release();
				}
			}
			return remember();
		}

		private T remember() throws Exception {
			try {
				this.answer = this.attempt.call();
				this.failure = null;
				return this.answer;
			}
			catch (Exception ex) {
				this.failure = ex;
				throw ex;
			}
		}

		/** The outcome that asked for the retry the budget refused. */
		T previous() throws Exception {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.answer;
		}

	}

	/** A retry the budget had no place for; never retried itself. */
	private static final class NoBudget extends Exception {

		NoBudget() {
			super(null, null, false, false);
		}

	}

}
