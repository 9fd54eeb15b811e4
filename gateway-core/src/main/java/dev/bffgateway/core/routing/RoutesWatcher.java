package dev.bffgateway.core.routing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Checks the routes source for edits on a fixed interval and reloads when it changed. Polling the content
 * rather than file-system events also sees a Kubernetes ConfigMap's symlink swap and edits on network disks; an SSM
 * parameter has no events to watch at all. In a container only: on Lambda a frozen sandbox runs no thread, and an
 * invocation refreshes a stale table instead ({@link RoutesRefreshFilter}).
 */
final class RoutesWatcher implements AutoCloseable {

	/** The longest {@link #close()} waits for a check under way. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final RouteTables tables;

	private final @Nullable Duration interval;

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * @param interval how often to check (a file: the poll interval; an SSM parameter: its max age), or {@code null}
	 * not to watch (a packaged, unchanging source)
	 */
	RoutesWatcher(RouteTables tables, @Nullable Duration interval) {
		this.tables = tables;
		this.interval = interval;
	}

	/** Starts checking, unless the source is not watched; idempotent. */
	synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		if (this.interval == null) {
			return;
		}
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("routes-watcher").factory());
		long millis = this.interval.toMillis();
		scheduler.scheduleWithFixedDelay(this.tables::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	/**
	 * Stops checking. A check under way may end first, within {@link #CLOSE_TIMEOUT} (an SSM read is bounded by its
	 * own timeout, 1 s by default): interrupted, it would fail and be logged and counted as a rejected reload.
	 */
	@Override
	public synchronized void close() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			return;
		}
		this.scheduler = null;
		scheduler.shutdown();
		try {
			if (!scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				scheduler.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			scheduler.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/** @return whether it is checking */
	synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
