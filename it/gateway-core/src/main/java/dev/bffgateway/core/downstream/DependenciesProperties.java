package dev.bffgateway.core.downstream;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The services a BFF calls, as shared defaults plus named instances that override what they need
 * (the shape of resilience4j's {@code configs.default} and {@code instances.<name>}).
 *
 * <pre>
 * gateway.dependencies:
 *   defaults:
 *     read-timeout: 800ms
 *     breaker.sliding-window-size: 20
 *   instances:
 *     user:
 *       base-url: http://user-service:8080
 *     account:
 *       base-url: http://account-service:8080
 *       read-timeout: 300ms
 * </pre>
 *
 * Values out of range stop startup with the key and the value named, e.g.
 * {@code gateway.dependencies.instances.account.breaker.failure-rate-threshold must be in (0, 100], but was 140.0}.
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
	 * @return the fully resolved settings; every field is non-null
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
	 * @param weight percent of calls (0 to 100) sent to {@code new-base-url}, sticky per user; built-in 0
	 * @param connectTimeout how long to wait for a connection; built-in default 500ms
	 * @param readTimeout how long to wait for the response; built-in default 800ms
	 * @param breaker the dependency's circuit breaker
	 * @param bulkhead the dependency's bulkhead
	 */
	public record Settings(@Nullable URI baseUrl, @Nullable URI newBaseUrl, @Nullable Integer weight,
			@Nullable Duration connectTimeout,
			@Nullable Duration readTimeout, @Nullable Breaker breaker,
			@Nullable Bulkhead bulkhead) {

		static final Settings BUILT_IN = new Settings(null, null, 0, Duration.ofMillis(500), Duration.ofMillis(800),
				Breaker.BUILT_IN, Bulkhead.BUILT_IN);

		void check(String prefix) {
			if (this.weight != null && (this.weight < 0 || this.weight > 100)) {
				throw new IllegalArgumentException(prefix + ".weight must be 0..100, but was " + this.weight);
			}
			positive(prefix + ".connect-timeout", this.connectTimeout);
			positive(prefix + ".read-timeout", this.readTimeout);
			if (this.breaker != null) {
				this.breaker.check(prefix + ".breaker");
			}
			if (this.bulkhead != null) {
				atLeastOne(prefix + ".bulkhead.max-concurrent-calls", this.bulkhead.maxConcurrentCalls());
			}
		}

		Settings overriddenBy(@Nullable Settings other) {
			if (other == null) {
				return this;
			}
			return new Settings(pick(other.baseUrl, this.baseUrl), pick(other.newBaseUrl, this.newBaseUrl),
					pick(other.weight, this.weight), pick(other.connectTimeout, this.connectTimeout),
					pick(other.readTimeout, this.readTimeout), orSelf(this.breaker, other.breaker),
					orSelf(this.bulkhead, other.bulkhead));
		}

		private static @Nullable Breaker orSelf(@Nullable Breaker base, @Nullable Breaker override) {
			if (base == null) {
				return override;
			}
			return base.overriddenBy(override);
		}

		private static @Nullable Bulkhead orSelf(@Nullable Bulkhead base, @Nullable Bulkhead override) {
			if (base == null) {
				return override;
			}
			return base.overriddenBy(override);
		}

	}

	/**
	 * A dependency's Resilience4j circuit breaker (count-based sliding window).
	 *
	 * @param failureRateThreshold failure percentage (0 exclusive to 100) at which the breaker opens; built-in 50
	 * @param slowCallRateThreshold slow-call percentage (0 exclusive to 100) at which the breaker opens;
	 * built-in 100
	 * @param slowCallDurationThreshold calls slower than this count as slow; built-in 800ms
	 * @param slidingWindowSize number of calls the failure rate is computed over; built-in 20
	 * @param minimumNumberOfCalls calls needed before the rate is computed at all; built-in 10
	 * @param waitInOpenState how long the breaker stays open before letting trial calls through; built-in 10s
	 * @param permittedCallsInHalfOpenState trial calls in half-open state; built-in 3
	 */
	public record Breaker(@Nullable Float failureRateThreshold,
			@Nullable Float slowCallRateThreshold,
			@Nullable Duration slowCallDurationThreshold,
			@Nullable Integer slidingWindowSize, @Nullable Integer minimumNumberOfCalls,
			@Nullable Duration waitInOpenState,
			@Nullable Integer permittedCallsInHalfOpenState) {

		static final Breaker BUILT_IN = new Breaker(50f, 100f, Duration.ofMillis(800), 20, 10, Duration.ofSeconds(10),
				3);

		void check(String prefix) {
			percentage(prefix + ".failure-rate-threshold", this.failureRateThreshold);
			percentage(prefix + ".slow-call-rate-threshold", this.slowCallRateThreshold);
			positive(prefix + ".slow-call-duration-threshold", this.slowCallDurationThreshold);
			atLeastOne(prefix + ".sliding-window-size", this.slidingWindowSize);
			atLeastOne(prefix + ".minimum-number-of-calls", this.minimumNumberOfCalls);
			positive(prefix + ".wait-in-open-state", this.waitInOpenState);
			atLeastOne(prefix + ".permitted-calls-in-half-open-state", this.permittedCallsInHalfOpenState);
		}

		Breaker overriddenBy(@Nullable Breaker o) {
			if (o == null) {
				return this;
			}
			return new Breaker(pick(o.failureRateThreshold, this.failureRateThreshold),
					pick(o.slowCallRateThreshold, this.slowCallRateThreshold),
					pick(o.slowCallDurationThreshold, this.slowCallDurationThreshold),
					pick(o.slidingWindowSize, this.slidingWindowSize),
					pick(o.minimumNumberOfCalls, this.minimumNumberOfCalls),
					pick(o.waitInOpenState, this.waitInOpenState),
					pick(o.permittedCallsInHalfOpenState, this.permittedCallsInHalfOpenState));
		}

	}

	/**
	 * A dependency's Resilience4j bulkhead: calls beyond the limit are refused at once, not queued.
	 *
	 * @param maxConcurrentCalls most calls in flight to the dependency; built-in 100
	 */
	public record Bulkhead(@Nullable Integer maxConcurrentCalls) {

		static final Bulkhead BUILT_IN = new Bulkhead(100);

		Bulkhead overriddenBy(@Nullable Bulkhead o) {
			return (o == null) ? this : new Bulkhead(pick(o.maxConcurrentCalls, this.maxConcurrentCalls));
		}

	}

	private static void positive(String key, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new IllegalArgumentException(key + " must be positive, but was " + value.toMillis() + "ms");
		}
	}

	private static void atLeastOne(String key, @Nullable Integer value) {
		if (value != null && value < 1) {
			throw new IllegalArgumentException(key + " must be at least 1, but was " + value);
		}
	}

	private static void percentage(String key, @Nullable Float value) {
		if (value != null && !(value > 0 && value <= 100)) {
			throw new IllegalArgumentException(key + " must be in (0, 100], but was " + value);
		}
	}

	private static <T> @Nullable T pick(@Nullable T override, @Nullable T base) {
		return (override != null) ? override : base;
	}

}
