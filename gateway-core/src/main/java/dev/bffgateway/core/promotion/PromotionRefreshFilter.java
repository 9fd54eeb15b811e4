package dev.bffgateway.core.promotion;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

import dev.bffgateway.core.resilience.SingleFlight;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On Lambda, where no thread runs between invocations: an invocation that finds the last promotion tick older than a
 * second ticks first (adds this sandbox's counts, takes a decision that is due, lays the decided weights over its
 * table), waiting at most 25 ms; a longer tick goes on while the invocation is served, and the next invocation waits
 * for it rather than starting another. So a sandbox follows a promotion within a second of its next invocation.
 */
final class PromotionRefreshFilter extends OncePerRequestFilter {

	private static final long PERIOD_NANOS = Duration.ofSeconds(1).toNanos();

	private static final Duration WAIT = Duration.ofMillis(25);

	private final LongSupplier nanoTime;

	private volatile long tickedNanos;

	private final SingleFlight flight;

	PromotionRefreshFilter(Promotions promotions, LongSupplier nanoTime) {
		this.flight = new SingleFlight(promotions::tick, "promotion-tick");
		this.nanoTime = nanoTime;
		this.tickedNanos = nanoTime.getAsLong();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long now = this.nanoTime.getAsLong();
		if (now - this.tickedNanos >= PERIOD_NANOS) {
			this.tickedNanos = now;
			this.flight.runWithin(WAIT);
		}
		chain.doFilter(request, response);
	}

}
