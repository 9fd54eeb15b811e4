package dev.bffgateway.core.edge;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Publishes metrics after each request. On Lambda an instance may be frozen right after it answers, so a
 * background reporter could sit on unpublished data indefinitely; publishing inside the invocation, before
 * the response is handed back, never loses a request's metrics.
 */
final class EmbeddedMetricsFilter extends OncePerRequestFilter {

	private final EmbeddedMetricsPublisher publisher;

	EmbeddedMetricsFilter(EmbeddedMetricsPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.publisher.publish();
		}
	}

}
