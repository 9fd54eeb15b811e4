package dev.bffgateway.core.routing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Checks the routes source for edits on a fixed interval and reloads when it changed. Polling the content
 * rather than file-system events also sees a Kubernetes ConfigMap's symlink swap and edits on network disks.
 */
final class RoutesWatcher implements AutoCloseable {

	private final RouteTables tables;

	private final @Nullable Duration interval;

	private @Nullable ScheduledExecutorService scheduler;

	/** @param interval how often to check, or {@code null} not to watch (a packaged, unchanging source) */
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

	@Override
	public synchronized void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	/** @return whether it is checking */
	synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
