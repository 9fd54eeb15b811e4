package dev.bffgateway.core.routing;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Strangler routes.
 *
 * @param file the routes file: a path (watched for edits) or a {@code classpath:} location (read once, as on
 * Lambda); unset means no strangler routes
 * @param forceOverride whether {@code X-Strangler-Force: legacy|new} is honoured (for internal testers);
 * ignored when false, the default
 * @param pollInterval how often a routes file on disk is checked for edits; 0 turns watching off. Default 500ms,
 * so an edit applies within a second
 * @param maxConnectionsPerBackend the proxy's pooled, kept-alive connections to one backend (scheme, host and
 * port); a request beyond them waits for one to free up, at most 1 s, then fails like an unreachable side. Default 500: far above
 * what a BFF's virtual threads keep busy at once against one backend, and never Apache HttpClient's own 5
 */
@ConfigurationProperties("gateway.routes")
public record RoutesProperties(@Nullable String file, @DefaultValue("false") boolean forceOverride,
		@DefaultValue("500ms") Duration pollInterval, @DefaultValue("500") int maxConnectionsPerBackend) {

	public RoutesProperties {
		if (pollInterval.isNegative()) {
			throw new IllegalArgumentException(
					"gateway.routes.poll-interval must not be negative, but was " + pollInterval.toMillis() + "ms");
		}
		if (maxConnectionsPerBackend < 1) {
			throw new IllegalArgumentException(
					"gateway.routes.max-connections-per-backend must be at least 1, but was " + maxConnectionsPerBackend);
		}
	}

}
