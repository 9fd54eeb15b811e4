package dev.bffgateway.core.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;

/**
 * A hedged read: when the first attempt has not answered within a delay (a dependency's measured p95, or a
 * configured one), one more is sent, and the first good answer wins; the other is cancelled. Each hedge takes a
 * place in the caller's {@link RetryBudget}, like a retry, and gives it back when it ends; without a place, the
 * first attempt is simply waited for. An answer within the delay is taken as it is, good or not: slowness is
 * hedged, a failure is the retry's business. Counted in {@code <meter>{…,outcome}}: {@code won} (the hedge answered
 * first), {@code lost} (the first attempt did), {@code budget_exhausted}. Thread-safe.
 *
 * <p>Cancelling interrupts the losing attempt's thread; an HTTP read blocked in the socket then ends at its own
 * read timeout, its answer dropped.
 */
public final class Hedge {

	private final RetryBudget budget;

	private final Supplier<Duration> delay;

	private final ExecutorService executor;

	private final Counter won;

	private final Counter lost;

	private final Counter exhausted;

	/**
	 * @param budget the budget hedges take their places in (the caller's retry budget)
	 * @param delay how long the first attempt has before a hedge is sent, asked for at every call
	 * @param executor runs the attempts (carrying the caller's context: its trace)
	 * @param meters where hedges are counted
	 * @param meter the counters' name, e.g. {@code bff.downstream.hedges}
	 * @param tags the counters' tags, e.g. {@code dependency=activity}
	 */
	public Hedge(RetryBudget budget, Supplier<Duration> delay, ExecutorService executor, MeterRegistry meters, String meter,
			Tags tags) {
		this.budget = budget;
		this.delay = delay;
		this.executor = executor;
		this.won = Counter.builder(meter).tags(tags).tag("outcome", "won").register(meters);
		this.lost = Counter.builder(meter).tags(tags).tag("outcome", "lost").register(meters);
		this.exhausted = Counter.builder(meter).tags(tags).tag("outcome", "budget_exhausted").register(meters);
	}

	/**
	 * @param attempt one attempt: an answer, or an exception
	 * @param good whether an answer may win (e.g. not a 5xx): a bad one waits for the other attempt, if any
	 * @return the first good answer; else the first attempt's answer
	 * @throws Exception the first attempt's failure when no attempt answered well
	 */
	public <T> T call(Callable<T> attempt, Predicate<? super T> good) throws Exception {
		CompletableFuture<T> first = submit(attempt);
		try {
			return unwrap(first, this.delay.get());
		}
		catch (TimeoutException slow) {
			// not answered within the delay: hedge, if the budget has a place
		}
		if (!this.budget.tryAcquire()) {
			this.exhausted.increment();
			return unwrap(first, null);
		}
		CompletableFuture<T> hedge = submit(attempt);
		hedge.whenComplete((answer, failure) -> this.budget.release());
		try {
			CompletableFuture.anyOf(first, hedge).exceptionally((failure) -> null).get();
			CompletableFuture<T> winner = firstGood(first, hedge, good);
			if (winner == null) {
				CompletableFuture.allOf(first, hedge).exceptionally((failure) -> null).get();
				winner = firstGood(first, hedge, good);
			}
			if (winner == null) {
				this.lost.increment();
				return unwrap(first, null);
			}
			(winner == first ? hedge : first).cancel(true);
			(winner == hedge ? this.won : this.lost).increment();
			return winner.join();
		}
		catch (InterruptedException ex) {
			first.cancel(true);
			hedge.cancel(true);
			throw ex;
		}
	}

	/** Runs an attempt; cancelling the returned future interrupts the attempt's thread. */
	private <T> CompletableFuture<T> submit(Callable<T> attempt) {
		CompletableFuture<T> future = new CompletableFuture<>();
		Future<?> task = this.executor.submit(() -> {
			try {
				future.complete(attempt.call());
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
		});
		future.whenComplete((answer, failure) -> {
			if (future.isCancelled()) {
				task.cancel(true);
			}
		});
		return future;
	}

	/** @return the first of the two that completed with a good answer, or {@code null} */
	private static <T> @Nullable CompletableFuture<T> firstGood(CompletableFuture<T> first, CompletableFuture<T> hedge,
			Predicate<? super T> good) {
		for (CompletableFuture<T> candidate : List.of(first, hedge)) {
			if (candidate.isDone() && !candidate.isCompletedExceptionally() && good.test(candidate.join())) {
				return candidate;
			}
		}
		return null;
	}

	private static <T> T unwrap(CompletableFuture<T> future, @Nullable Duration timeout) throws Exception {
		try {
			return (timeout != null) ? future.get(timeout.toNanos(), TimeUnit.NANOSECONDS) : future.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			throw ex;
		}
		catch (CancellationException ex) {
			throw new InterruptedException("cancelled");
		}
	}

}
