package dev.bffgateway.core.aggregation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs parts in parallel under one overall deadline and collects what arrived.
 *
 * <p>Every part is submitted at once, so the fan-out costs the slowest part, not the sum. When the
 * deadline passes, parts still running are cancelled (their threads interrupted) and degraded as
 * {@link Degradation#DEADLINE}; when a required part fails, the aggregate is unusable, so the others are
 * cancelled at once as {@link Degradation#CANCELLED} rather than waited for. {@link #run} itself never waits
 * longer than the deadline plus scheduling noise and never throws because a part failed.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class FanOut {

	private static final Logger logger = LoggerFactory.getLogger(FanOut.class);

	/** Degradations that are a consequence of an earlier, already reported state, logged at debug only. */
	private static final Set<Degradation> QUIET = EnumSet.of(Degradation.BREAKER_OPEN, Degradation.BULKHEAD_FULL,
			Degradation.CANCELLED);

	private final ExecutorService executor;

	private final Duration deadline;

	/**
	 * @param executor runs each part; for blocking I/O use a virtual-thread-per-task executor
	 * @param deadline the longest {@link #run} waits for all parts together; must be positive
	 * @throws IllegalArgumentException if the deadline is not positive
	 */
	public FanOut(ExecutorService executor, Duration deadline) {
		this.executor = Objects.requireNonNull(executor, "executor");
		this.deadline = Objects.requireNonNull(deadline, "deadline");
		if (deadline.isNegative() || deadline.isZero()) {
			throw new IllegalArgumentException("deadline must be positive, but was " + deadline);
		}
	}

	/** @return the overall deadline */
	public Duration deadline() {
		return this.deadline;
	}

	/**
	 * Fetches all parts in parallel.
	 * @param parts the parts, with unique names; their order is the order of the result
	 * @return each part's value or degradation
	 * @throws IllegalArgumentException if two parts share a name
	 */
	public Aggregate run(List<? extends Part<?>> parts) {
		requireUniqueNames(parts);
		long deadlineAt = System.nanoTime() + this.deadline.toNanos();
		int count = parts.size();
		// settled once every part is done or a required one has failed: the caller parks once for the whole
		// fan-out, not once per part (each park of a virtual thread copies its stack, Tomcat's and the filters'
		// frames included, to the heap and back)
		CompletableFuture<Void> settled = new CompletableFuture<>();
		AtomicInteger outstanding = new AtomicInteger(count);
		List<FutureTask<Object>> tasks = new ArrayList<>(count);
		Degradation[] degradations = new Degradation[count];
		for (int i = 0; i < count; i++) {
			Part<?> part = parts.get(i);
			FutureTask<Object> task = new FutureTask<>(cast(part.fetch())) {
				@Override
				protected void done() {
					if ((part.required() && !succeeded(this)) || outstanding.decrementAndGet() == 0) {
						settled.complete(null);
					}
				}
			};
			tasks.add(task);
			try {
				this.executor.execute(task);
			}
			catch (RejectedExecutionException ex) {
				degradations[i] = degrade(part, Degradation.ERROR, ex);
				task.cancel(false); // done: counted as the others are
			}
		}
		try {
			long remaining = deadlineAt - System.nanoTime();
			if (remaining > 0) {
				settled.get(remaining, TimeUnit.NANOSECONDS);
			}
		}
		catch (TimeoutException | ExecutionException ex) {
			// the deadline: what has not arrived is degraded below (settled never fails)
		}
		catch (InterruptedException ex) {
			// The caller is going away: stop waiting, cancel what is left, keep the interrupt visible.
			Thread.currentThread().interrupt();
		}
		Object[] values = new Object[count];
		boolean unusable = false;
		for (int i = 0; i < count; i++) {
			FutureTask<Object> task = tasks.get(i);
			if (degradations[i] == null && task.isDone()) {
				Part<?> part = parts.get(i);
				switch (task.state()) {
					case SUCCESS -> {
						values[i] = task.resultNow();
						if (values[i] == null) {
							degradations[i] = degrade(part, Degradation.ERROR, null);
						}
					}
					case FAILED -> {
						Throwable failure = task.exceptionNow();
						degradations[i] = degrade(part, classify(failure), failure);
					}
					default -> degradations[i] = degrade(part, Degradation.DEADLINE, null);
				}
			}
			unusable |= parts.get(i).required() && degradations[i] != null;
		}
		Degradation leftOver = unusable ? Degradation.CANCELLED : Degradation.DEADLINE;
		Map<String, Object> byName = new LinkedHashMap<>();
		Map<String, Degradation> degradedByName = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			FutureTask<Object> task = tasks.get(i);
			if (values[i] == null && degradations[i] == null) {
				// still running: interrupted, and what it returns later is dropped
				task.cancel(true);
				degradations[i] = degrade(parts.get(i), leftOver, null);
			}
			if (values[i] != null) {
				byName.put(parts.get(i).name(), values[i]);
			}
			else {
				degradedByName.put(parts.get(i).name(), degradations[i]);
			}
		}
		return new Aggregate(List.copyOf(parts), byName, degradedByName);
	}

	private static boolean succeeded(FutureTask<Object> task) {
		return task.state() == Future.State.SUCCESS && task.resultNow() != null;
	}

	@SuppressWarnings("unchecked")
	private static Callable<Object> cast(Callable<?> fetch) {
		return (Callable<Object>) fetch;
	}

	private static Degradation classify(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof DegradationCause cause) {
				return cause.degradation();
			}
		}
		return Degradation.ERROR;
	}

	private static Degradation degrade(Part<?> part, Degradation reason, @Nullable Throwable cause) {
		if (QUIET.contains(reason)) {
			// nothing was attempted: the breaker's or bulkhead's own state (metrics, health) says why, and a line
			// per request while a breaker stays open would put logging on the hot path
			logger.debug("Part '{}' degraded: {}", part.name(), reason.tag());
		}
		else if (cause != null) {
			// exception types only: a message can hold the URL (and with it a user id) or the answer's body; a
			// DegradationCause's detail is log-safe by contract (e.g. a contract violation's JSON pointers)
			String detail = detail(cause);
			logger.warn("Part '{}' degraded: {} ({}){}", part.name(), reason.tag(), causes(cause),
					detail.isEmpty() ? "" : " at " + detail);
			logger.debug("Part '{}' degraded", part.name(), cause);
		}
		else {
			logger.warn("Part '{}' degraded: {}", part.name(), reason.tag());
		}
		return reason;
	}

	/** @return the detail of the first {@link DegradationCause} among the failure and its first eight causes */
	static String detail(Throwable failure) {
		int depth = 0;
		for (Throwable t = failure; t != null && depth <= 8; t = t.getCause(), depth++) {
			if (t instanceof DegradationCause cause) {
				return cause.detail();
			}
		}
		return "";
	}

	/** @return the failure's exception types, outermost first: {@code A < B < C} */
	static String causes(Throwable failure) {
		StringBuilder types = new StringBuilder(failure.getClass().getSimpleName());
		int depth = 0;
		for (Throwable t = failure.getCause(); t != null && depth < 8; t = t.getCause(), depth++) {
			types.append(" < ").append(t.getClass().getSimpleName());
		}
		return types.toString();
	}

	private static void requireUniqueNames(List<? extends Part<?>> parts) {
		Set<String> names = new HashSet<>();
		for (Part<?> part : parts) {
			if (!names.add(part.name())) {
				throw new IllegalArgumentException("part names must be unique, but '" + part.name() + "' repeats");
			}
		}
	}

}
