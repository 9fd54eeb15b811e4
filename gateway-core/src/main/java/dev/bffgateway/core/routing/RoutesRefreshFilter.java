package dev.bffgateway.core.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

import dev.bffgateway.core.resilience.SingleFlight;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On Lambda, before an invocation is served: when the route table was read longer ago than the max age, read the
 * source again ({@link RouteTables#reloadIfChanged()}, the same validated swap as a container's watcher), waiting at
 * most the invocation timeout, so a weight changed in SSM applies to the next invocations without a deployment. No
 * thread runs between invocations (the sandbox is frozen), so the invocations are the clock. A read that takes longer
 * goes on while the invocation is served by the table it has, and the next invocation waits for it rather than
 * starting another. A SnapStart restore marks the table stale, since the snapshot holds the table of its deployment,
 * and the first read after it is waited for up to the source's own timeout: a restored sandbox serves the table ops
 * set, not the one of the snapshot. At most one read per sandbox per max age, however busy: SSM's throughput is the
 * account's. A plain servlet filter (routing stays free of Spring's web classes), registered for requests only.
 */
final class RoutesRefreshFilter implements Filter, Resource {

	private static final Logger logger = LoggerFactory.getLogger(RoutesRefreshFilter.class);

	private final @Nullable RouteTables tables;

	private final long maxAgeNanos;

	private final Duration timeout;

	private final Duration firstTimeout;

	private final LongSupplier nanoTime;

	/** When the table was last read: at start, the table just loaded. */
	private volatile long readNanos;

	/** SnapStart restores so far. */
	private volatile int restores;

	/** The restores the latest read began after: fewer than {@link #restores}, the table is the snapshot's. */
	private volatile int readAfter;

	private final SingleFlight flight = new SingleFlight(this::refresh, "routes-refresh");

	/**
	 * @param tables what is refreshed, or {@code null} when the source is not refreshed per invocation (the filter's
	 * registration is disabled)
	 * @param maxAge how old the table read may get
	 * @param timeout the longest an invocation waits for a read
	 * @param firstTimeout the longest the first invocation after a SnapStart restore waits for one
	 * @param nanoTime the monotonic clock, {@link System#nanoTime()}
	 */
	RoutesRefreshFilter(@Nullable RouteTables tables, Duration maxAge, Duration timeout, Duration firstTimeout,
			LongSupplier nanoTime) {
		this.tables = tables;
		this.maxAgeNanos = maxAge.toNanos();
		this.timeout = timeout;
		this.firstTimeout = firstTimeout;
		this.nanoTime = nanoTime;
		this.readNanos = nanoTime.getAsLong();
		if (tables != null) {
			Core.getGlobalContext().register(this);
		}
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.tables != null && stale()) {
			refreshWithin(waitFor());
		}
		chain.doFilter(request, response);
	}

	/** @return how long a stale invocation waits: longer for the first read after a SnapStart restore */
	Duration waitFor() {
		return restored() ? this.firstTimeout : this.timeout;
	}

	/** @return whether the table read is older than the max age, or a SnapStart restore came since */
	boolean stale() {
		return restored() || this.nanoTime.getAsLong() - this.readNanos >= this.maxAgeNanos;
	}

	/** @return whether a SnapStart restore came since the latest read began */
	private boolean restored() {
		return this.readAfter != this.restores;
	}

	/**
	 * Reads the source on a virtual thread, or joins the read under way, and waits for it at most {@code timeout}.
	 * @return whether the read ended within the wait
	 */
	boolean refreshWithin(Duration timeout) {
		return this.flight.runWithin(timeout);
	}

	private void refresh() {
		RouteTables tables = this.tables;
		int restores = this.restores;
		try {
			if (tables != null) {
				// an unreadable or invalid table is a rejected reload: the last good one stays, logged and counted
				tables.reloadIfChanged();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Route table refresh failed unexpectedly; keeping the table in force", ex);
		}
		finally {
			// a failed read counts as a read too: at most one call per max age while SSM is down or throttling
			this.readNanos = this.nanoTime.getAsLong();
			this.readAfter = restores;
		}
	}

	@Override
	public void beforeCheckpoint(Context<? extends Resource> context) {
		// nothing held open across the snapshot but the SDK's pooled connections, which the JDK client re-opens
	}

	@Override
	public void afterRestore(Context<? extends Resource> context) {
		this.restores++; // only the restoring thread writes it
	}

}
