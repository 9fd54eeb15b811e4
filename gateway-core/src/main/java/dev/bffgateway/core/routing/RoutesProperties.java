package dev.bffgateway.core.routing;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Strangler routes.
 *
 * @param file the routes file: a path (watched for edits) or a {@code classpath:} location (read once, as on
 * Lambda); unset means no strangler routes. {@code ssm.parameter}, when set, wins over it
 * @param forceOverride whether {@code X-Strangler-Force: legacy|new} is honoured (for internal testers);
 * ignored when false, the default
 * @param pollInterval how often a routes file on disk is checked for edits (a parameter in SSM: every
 * {@code ssm.max-age}); 0 turns watching off, as on Lambda. Default 500ms, so an edit applies within a second
 * @param maxConnectionsPerBackend the proxy's pooled, kept-alive connections to one backend (scheme, host and
 * port); a request beyond them waits for one to free up, at most 1 s, then fails like an unreachable side. Default 500: far above
 * what a BFF's virtual threads keep busy at once against one backend, and never Apache HttpClient's own 5
 * @param retry how the routes that retry ({@code retry.max-attempts} in the routes file) wait and how much they may
 * retry
 * @param ssm the route table in SSM Parameter Store instead of a file, so a weight changes live on Lambda too
 */
@ConfigurationProperties("gateway.routes")
public record RoutesProperties(@Nullable String file, @DefaultValue("false") boolean forceOverride,
		@DefaultValue("500ms") Duration pollInterval, @DefaultValue("500") int maxConnectionsPerBackend,
		@DefaultValue Retry retry, @DefaultValue Ssm ssm) {

	/**
	 * The route table in one SSM Parameter Store parameter, the same YAML as a routes file, validated and swapped
	 * in the same way. Each read is one {@code GetParameter} call, which costs and shares the account's throughput
	 * (40 per second by default), so the table read is kept for {@code max-age}: a container polls the parameter that
	 * often, and a Lambda invocation that finds its table older reads it first, waiting at most
	 * {@code invocation-timeout}.
	 * @param parameter the parameter holding the routes YAML, String or SecureString (read with decryption), e.g.
	 * {@code /bff/web-bff/routes} (env {@code ROUTES_SSM_PARAMETER}); set, it wins over {@code gateway.routes.file}
	 * @param endpoint the SSM endpoint, for a local peer (moto); unset means AWS's
	 * @param region the AWS region; unset means the SDK's chain ({@code AWS_REGION} on Lambda)
	 * @param timeout the longest one read may take, its one retry included. Default 1s
	 * @param maxAge how old the table read may get: a container reads the parameter this often, a Lambda invocation
	 * that finds the table older reads it first. Default 5s (Powertools' parameters cache default)
	 * @param invocationTimeout the longest a Lambda invocation waits for that read before it is served by the table
	 * it has (the first after a SnapStart restore waits up to {@code timeout}). Default 50ms
	 */
	public record Ssm(@Nullable String parameter, @Nullable URI endpoint, @Nullable String region,
			@DefaultValue("1s") Duration timeout, @DefaultValue("5s") Duration maxAge,
			@DefaultValue("50ms") Duration invocationTimeout) {

		public Ssm {
			positive("timeout", timeout);
			positive("max-age", maxAge);
			positive("invocation-timeout", invocationTimeout);
		}

		private static void positive(String key, Duration value) {
			if (!value.isPositive()) {
				throw new IllegalArgumentException(
						"gateway.routes.ssm." + key + " must be positive, but was " + value.toMillis() + "ms");
			}
		}

		/** @return whether the table comes from a parameter: one is named */
		public boolean enabled() {
			return this.parameter != null && !this.parameter.isBlank();
		}

	}

	/**
	 * The waits and the budget of a route's retries, per side of each route: a retry waits with full jitter up to
	 * {@code min(max-backoff, initial-backoff × 2^(n-1))}, or a {@code Retry-After} no longer than
	 * {@code max-backoff}; at most {@code budget-ratio} of the side's requests in the last 10 s, and never more than
	 * {@code budget-max}, are retries in flight.
	 * @param initialBackoff the longest wait before the first retry; default 25ms
	 * @param maxBackoff the longest wait before any retry, and the longest {@code Retry-After} honoured; default 200ms
	 * @param budgetRatio the share of a side's requests in the last 10 s that may be retries in flight, in (0, 1];
	 * default 0.2
	 * @param budgetMax the most retries in flight to one side of a route, at least 0; default 10
	 */
	public record Retry(@DefaultValue("25ms") Duration initialBackoff, @DefaultValue("200ms") Duration maxBackoff,
			@DefaultValue("0.2") double budgetRatio, @DefaultValue("10") int budgetMax) {

		public Retry {
			if (!initialBackoff.isPositive()) {
				throw new IllegalArgumentException(
						"gateway.routes.retry.initial-backoff must be positive, but was " + initialBackoff.toMillis() + "ms");
			}
			if (!maxBackoff.isPositive()) {
				throw new IllegalArgumentException(
						"gateway.routes.retry.max-backoff must be positive, but was " + maxBackoff.toMillis() + "ms");
			}
			if (!(budgetRatio > 0 && budgetRatio <= 1)) {
				throw new IllegalArgumentException(
						"gateway.routes.retry.budget-ratio must be in (0, 1], but was " + budgetRatio);
			}
			if (budgetMax < 0) {
				throw new IllegalArgumentException("gateway.routes.retry.budget-max must be at least 0, but was " + budgetMax);
			}
		}

	}

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
