package dev.bffgateway.core.aggregation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs parts in parallel under one overall deadline and collects what arrived.
 *
 * <p>Every part is submitted at once, so the fan-out costs the slowest part, not the sum. When the
 * deadline passes, parts still running are cancelled (their threads interrupted) and degraded as
 * {@link Degradation#DEADLINE}; {@link #run} itself never waits longer than the deadline plus scheduling
 * noise and never throws because a part failed.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class FanOut {

	private static final Logger logger = LoggerFactory.getLogger(FanOut.class);

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
		List<Future<?>> futures = new ArrayList<>(parts.size());
		for (Part<?> part : parts) {
			futures.add(submit(part));
		}
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, Degradation> degradations = new LinkedHashMap<>();
		for (int i = 0; i < parts.size(); i++) {
			Part<?> part = parts.get(i);
			Future<?> future = futures.get(i);
			try {
				long remaining = Math.max(0, deadlineAt - System.nanoTime());
				Object value = future.get(remaining, TimeUnit.NANOSECONDS);
				if (value != null) {
					values.put(part.name(), value);
				}
				else {
					degrade(degradations, part, Degradation.ERROR, null);
				}
			}
			catch (TimeoutException | CancellationException ex) {
				future.cancel(true);
				degrade(degradations, part, Degradation.DEADLINE, null);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				degrade(degradations, part, classify(cause), cause);
			}
			catch (InterruptedException ex) {
				// The caller is going away: stop waiting, cancel what is left, keep the interrupt visible.
				Thread.currentThread().interrupt();
				for (int j = i; j < parts.size(); j++) {
					futures.get(j).cancel(true);
					degrade(degradations, parts.get(j), Degradation.DEADLINE, null);
				}
				break;
			}
		}
		return new Aggregate(List.copyOf(parts), values, degradations);
	}

	private Future<?> submit(Part<?> part) {
		try {
			return this.executor.submit(part.fetch());
		}
		catch (RejectedExecutionException ex) {
			CompletableFuture<Object> failed = new CompletableFuture<>();
			failed.completeExceptionally(ex);
			return failed;
		}
	}

	private static Degradation classify(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof DegradationCause cause) {
				return cause.degradation();
			}
		}
		return Degradation.ERROR;
	}

	private static void degrade(Map<String, Degradation> degradations, Part<?> part, Degradation reason,
			@Nullable Throwable cause) {
		degradations.put(part.name(), reason);
		if (cause != null) {
			logger.warn("Part '{}' degraded: {} ({})", part.name(), reason.tag(), rootCause(cause));
		}
		else {
			logger.warn("Part '{}' degraded: {}", part.name(), reason.tag());
		}
	}

	private static String rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == failure) ? failure.toString() : failure.getMessage() + ", caused by " + root;
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
