package dev.bffgateway.core.circuit;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On Lambda, before an invocation is served: when the verdicts read are older than the refresh interval, sync,
 * waiting at most the invocation timeout (25 ms), or the store timeout for the first sync after a SnapStart
 * restore, so a restored sandbox knows the open circuits before its first downstream call. A sync that takes
 * longer goes on while the invocation is served. After an invocation in which a breaker decided something (it
 * opened, or its probe ended), the sync that writes it is waited for too, as briefly: a sandbox may be frozen for
 * long after it answers, and the fleet should not wait for its next invocation to learn the verdict.
 */
final class InvocationSyncFilter extends OncePerRequestFilter {

	private final @Nullable SharedCircuits circuits;

	private final Duration timeout;

	private final Duration firstTimeout;

	/** @param circuits what is synced, or {@code null} when sharing is off (the filter's registration is disabled) */
	InvocationSyncFilter(@Nullable SharedCircuits circuits, Duration timeout, Duration firstTimeout) {
		this.circuits = circuits;
		this.timeout = timeout;
		this.firstTimeout = firstTimeout;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		SharedCircuits circuits = this.circuits;
		if (circuits == null) {
			chain.doFilter(request, response);
			return;
		}
		if (circuits.stale()) {
			circuits.syncWithin(circuits.neverSynced() ? this.firstTimeout : this.timeout);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (circuits.hasPendingWrites()) {
				circuits.syncWithin(this.timeout);
			}
		}
	}

}
