package dev.bffgateway.core.downstream;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The services a BFF calls, as shared defaults plus named instances that override what they need
 * (the shape of Resilience4j's {@code configs.default} and {@code instances.<name>}): where each is, how long to
 * wait for it, and, while it is being strangled, where its replacement is and what share of calls it gets. Its
 * breaker and bulkhead are Resilience4j's, named after it ({@code resilience4j.circuitbreaker.instances.<name>},
 * {@code resilience4j.bulkhead.instances.<name>}).
 *
 * <pre>
 * gateway.dependencies:
 *   defaults:
 *     read-timeout: 800ms
 *   instances:
 *     user:
 *       base-url: http://user-service:8080
 *     account:
 *       base-url: http://account-service:8080
 *       new-base-url: http://account-v2:8080   # strangled: its weight can change live in the routes file
 *       weight: 10
 *       read-timeout: 300ms
 *     activity:
 *       base-url: http://activity-service:8080
 *       max-body-size: 256KB                        # a larger answer is "unreadable"; default 1MB
 *       contract: file:/etc/bff/activity-v2.schema.json   # default: gateway-core's schema; "none" checks nothing
 * </pre>
 *
 * Values out of range stop startup with the key and the value named, e.g.
 * {@code gateway.dependencies.instances.account.weight must be 0..100, but was 140}.
 *
 * @param defaults settings every dependency inherits unless it sets its own; unset keys take the
 * built-in defaults documented on {@link Settings}
 * @param instances the dependencies by name (e.g. {@code user}); each must have a {@code base-url}
 */
@ConfigurationProperties("gateway.dependencies")
public record DependenciesProperties(@Nullable Settings defaults,
		@Nullable Map<String, Settings> instances) {

	public DependenciesProperties {
		if (defaults != null) {
			defaults.check(PREFIX + ".defaults");
		}
		if (instances != null) {
			instances.forEach((name, settings) -> settings.check(PREFIX + ".instances." + name));
		}
		defaults = Settings.BUILT_IN.overriddenBy(defaults);
		instances = (instances != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(instances)) : Map.of();
	}

	static final String PREFIX = "gateway.dependencies";

	/** @return the configured dependency names, in configuration order */
	public Set<String> names() {
		return instances().keySet();
	}

	/**
	 * The effective settings of one dependency: built-in defaults, overridden by {@code defaults},
	 * overridden by the instance.
	 * @param name the dependency name
	 * @return the fully resolved settings; every field but {@code new-base-url} and {@code contract} is non-null
	 * ({@code contract} is null for a dependency without a built-in contract that configures none)
	 * @throws IllegalStateException naming the missing key if the dependency or its base URL is not configured
	 */
	public Settings resolve(String name) {
		Settings instance = instances().get(name);
		String prefix = PREFIX + ".instances." + name;
		if (instance == null) {
			throw new IllegalStateException(prefix + ".base-url must be set: dependency '" + name
					+ "' is used but not configured (configured: " + names() + ")");
		}
		Settings resolved = defaults().overriddenBy(instance);
		if (resolved.contract() == null && ResponseContract.BUILT_IN_NAMES.contains(name)) {
			resolved = resolved.overriddenBy(new Settings(null, null, null, null, null, null,
					ResponseContract.BUILT_IN.formatted(name), null, null));
		}
		URI baseUrl = resolved.baseUrl();
		if (baseUrl == null) {
			throw new IllegalStateException(prefix + ".base-url must be set, but was missing");
		}
		requireHttpUrl(prefix + ".base-url", baseUrl);
		if (resolved.newBaseUrl() != null) {
			requireHttpUrl(prefix + ".new-base-url", resolved.newBaseUrl());
		}
		else if (resolved.weight() != null && resolved.weight() > 0) {
			throw new IllegalStateException(prefix + ".new-base-url must be set when weight is above 0, but weight was "
					+ resolved.weight() + " and new-base-url missing");
		}
		return resolved;
	}

	private static void requireHttpUrl(String key, URI url) {
		String scheme = url.getScheme();
		if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
			throw new IllegalStateException(key + " must be an absolute http(s) URL, but was '" + url + "'");
		}
	}

	/**
	 * Settings of one dependency. Every field may be left unset to inherit.
	 *
	 * @param baseUrl the dependency's base URL, e.g. {@code http://user-service:8080}; while it is being
	 * strangled, the legacy system's
	 * @param newBaseUrl the base URL of the service replacing it, when the dependency is being strangled
	 * @param weight percent of calls (0 to 100) sent to {@code new-base-url}, sticky per user, until the routes
	 * file gives another ({@code dependencies.<name>.weight}); built-in 0
	 * @param connectTimeout how long to wait for a connection; built-in default 500ms
	 * @param readTimeout how long to wait for the response; built-in default 800ms
	 * @param maxBodySize the largest response body read; a larger one degrades the part as {@code unreadable},
	 * read no further than this; built-in default 1MB
	 * @param contract where the JSON Schema (2020-12) of a successful answer is, as a resource location
	 * ({@code classpath:…}, {@code file:…}), or {@code none} to check nothing; an answer that does not match degrades
	 * the part as {@code contract}; built-in: gateway-core's schema for {@code user}, {@code activity} and
	 * {@code account} ({@code classpath:META-INF/gateway/contracts/<name>.schema.json}), none for other names
	 * @param retry how a read that got no answer (or a 502/503/504) is retried
	 * @param hedge whether, and when, a slow read is hedged
	 */
	public record Settings(@Nullable URI baseUrl, @Nullable URI newBaseUrl, @Nullable Integer weight,
			@Nullable Duration connectTimeout, @Nullable Duration readTimeout, @Nullable DataSize maxBodySize,
			@Nullable String contract, @Nullable Retry retry, @Nullable Hedge hedge) {

		static final Settings BUILT_IN = new Settings(null, null, 0, Duration.ofMillis(500), Duration.ofMillis(800),
				DataSize.ofMegabytes(1), null, Retry.BUILT_IN, Hedge.BUILT_IN);

		void check(String prefix) {
			if (this.weight != null && (this.weight < 0 || this.weight > 100)) {
				throw new IllegalArgumentException(prefix + ".weight must be 0..100, but was " + this.weight);
			}
			positive(prefix + ".connect-timeout", this.connectTimeout);
			positive(prefix + ".read-timeout", this.readTimeout);
			if (this.maxBodySize != null && this.maxBodySize.toBytes() <= 0) {
				throw new IllegalArgumentException(prefix + ".max-body-size must be positive, but was "
						+ this.maxBodySize);
			}
			if (this.contract != null && this.contract.isBlank()) {
				throw new IllegalArgumentException(prefix + ".contract must be a resource location or 'none', but was '"
						+ this.contract + "'");
			}
			if (this.retry != null) {
				this.retry.check(prefix + ".retry");
			}
			if (this.hedge != null) {
				this.hedge.check(prefix + ".hedge");
			}
		}

		Settings overriddenBy(@Nullable Settings other) {
			if (other == null) {
				return this;
			}
			return new Settings(pick(other.baseUrl, this.baseUrl), pick(other.newBaseUrl, this.newBaseUrl),
					pick(other.weight, this.weight), pick(other.connectTimeout, this.connectTimeout),
					pick(other.readTimeout, this.readTimeout), pick(other.maxBodySize, this.maxBodySize),
					pick(other.contract, this.contract),
					(this.retry != null) ? this.retry.overriddenBy(other.retry) : other.retry,
					(this.hedge != null) ? this.hedge.overriddenBy(other.hedge) : other.hedge);
		}

	}

	/**
	 * How a dependency's reads are retried: only when no answer came (a refused or timed-out connection, a
	 * connection closed before any response byte) or the answer was a 502, 503 or 504, and only with a place in
	 * the dependency's retry budget: at most {@code min(budget-ratio × its requests in the last 10 s,
	 * budget-max)} retries in flight. All within the dashboard's deadline.
	 *
	 * @param maxAttempts attempts in all, the first included; 1 turns retries off; built-in 2
	 * @param initialBackoff the longest wait before the first retry (full jitter); built-in 25ms
	 * @param maxBackoff the longest wait before any retry, and the longest {@code Retry-After} honoured; built-in 200ms
	 * @param budgetRatio the share of recent requests that may be retries in flight, in (0, 1]; built-in 0.2
	 * @param budgetMax the most retries in flight to the dependency; built-in 10
	 */
	public record Retry(@Nullable Integer maxAttempts, @Nullable Duration initialBackoff, @Nullable Duration maxBackoff,
			@Nullable Double budgetRatio, @Nullable Integer budgetMax) {

		static final Retry BUILT_IN = new Retry(2, Duration.ofMillis(25), Duration.ofMillis(200), 0.2, 10);

		void check(String prefix) {
			if (this.maxAttempts != null && this.maxAttempts < 1) {
				throw new IllegalArgumentException(prefix + ".max-attempts must be at least 1, but was " + this.maxAttempts);
			}
			positive(prefix + ".initial-backoff", this.initialBackoff);
			positive(prefix + ".max-backoff", this.maxBackoff);
			if (this.budgetRatio != null && !(this.budgetRatio > 0 && this.budgetRatio <= 1)) {
				throw new IllegalArgumentException(prefix + ".budget-ratio must be in (0, 1], but was " + this.budgetRatio);
			}
			if (this.budgetMax != null && this.budgetMax < 0) {
				throw new IllegalArgumentException(prefix + ".budget-max must be at least 0, but was " + this.budgetMax);
			}
		}

		Retry overriddenBy(@Nullable Retry other) {
			if (other == null) {
				return this;
			}
			return new Retry(pick(other.maxAttempts, this.maxAttempts), pick(other.initialBackoff, this.initialBackoff),
					pick(other.maxBackoff, this.maxBackoff), pick(other.budgetRatio, this.budgetRatio),
					pick(other.budgetMax, this.budgetMax));
		}

	}

	/**
	 * Hedged reads (opt-in): when a read has not answered within its measured p95 (or, until enough calls were
	 * measured, the configured delay), one more attempt is sent and the first good answer wins; each hedge takes a
	 * place in the dependency's retry budget.
	 *
	 * @param enabled whether reads are hedged; built-in false
	 * @param delay the delay until the percentile is measured (and always, with {@code percentile} 0); built-in 100ms
	 * @param percentile the measured percentile of successful calls a read has before it is hedged, in (0, 1), or 0
	 * for the fixed delay; built-in 0.95
	 */
	public record Hedge(@Nullable Boolean enabled, @Nullable Duration delay, @Nullable Double percentile) {

		static final Hedge BUILT_IN = new Hedge(false, Duration.ofMillis(100), 0.95);

		void check(String prefix) {
			positive(prefix + ".delay", this.delay);
			if (this.percentile != null && !(this.percentile == 0 || (this.percentile > 0 && this.percentile < 1))) {
				throw new IllegalArgumentException(prefix + ".percentile must be 0 or in (0, 1), but was " + this.percentile);
			}
		}

		Hedge overriddenBy(@Nullable Hedge other) {
			if (other == null) {
				return this;
			}
			return new Hedge(pick(other.enabled, this.enabled), pick(other.delay, this.delay),
					pick(other.percentile, this.percentile));
		}

	}

	private static void positive(String key, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new IllegalArgumentException(key + " must be positive, but was " + value.toMillis() + "ms");
		}
	}

	private static <T> @Nullable T pick(@Nullable T override, @Nullable T base) {
		return (override != null) ? override : base;
	}

}
