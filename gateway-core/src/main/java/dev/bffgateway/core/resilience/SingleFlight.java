package dev.bffgateway.core.resilience;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * One task that callers wait for only so long: {@link #runWithin} starts it on a virtual thread unless it is already
 * running (then it joins that run), and waits for it at most the given time; a run that takes longer goes on while
 * the caller continues. What a Lambda invocation does with work the sandbox must do but must not wait long for
 * (reading shared state, a route table, a promotion tick). Thread-safe.
 */
public final class SingleFlight {

	private final Runnable task;

	private final String name;

	private @Nullable FutureTask<?> running;

	/**
	 * @param task the work; it should not throw (a failure ends the run like a success)
	 * @param name the virtual thread's name
	 */
	public SingleFlight(Runnable task, String name) {
		this.task = task;
		this.name = name;
	}

	/**
	 * @param timeout the longest wait
	 * @return whether the run ended within the wait
	 */
	public boolean runWithin(Duration timeout) {
		FutureTask<?> run;
		synchronized (this) {
			run = this.running;
			if (run == null || run.isDone()) {
				run = new FutureTask<>(this.task, null);
				this.running = run;
				Thread.ofVirtual().name(this.name).start(run);
			}
		}
		try {
			run.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true; // it ended, failing: nothing more to wait for
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
