package dev.bffgateway.core.routing;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One strangler route: which requests it takes and how they are split between the legacy system and the
 * new service.
 *
 * @param id unique within a table; part of the sticky hash, so renaming a route reshuffles its users
 * @param paths path patterns ({@code /orders/**}, {@code /users/{id}/orders})
 * @param methods HTTP methods taken, upper case; empty takes every method
 * @param legacy base URI of the legacy system
 * @param newUri base URI of the new service
 * @param weight share of traffic, in percent (0 to 100), sent to the new service
 * @param sticky where the sticky key comes from
 * @param auth who may call it: a verified user (the default) or anyone
 * @param scopes the scopes a caller's token needs, beyond what every identified request needs
 * @param shape whether the BFF's route shaper (partner-bff has one) shapes the route's JSON answers
 * @param breaker the Resilience4j config ({@code resilience4j.circuitbreaker.configs.<name>}) the route's breakers
 * start from, unless configured as instances themselves; {@value #DEFAULT_BREAKER} by default
 * @param maxAttempts attempts in all, the first included, for a proxied request that is safe to send again (an
 * idempotent method without a body), each retry within the side's budget; 1, the default, sends none again
 * @param onUnavailable what becomes of a write (POST, PUT, PATCH, DELETE) no side can take
 * @param shadow the parallel run: a share of reads also sent to the side that is not serving, and compared; or
 * {@code null} for none
 * @param promotion the policy that moves the weight along its steps on the new side's error and mismatch rates, or
 * {@code null} for a weight moved by hand only
 */
public record Route(String id, List<String> paths, Set<String> methods, URI legacy, URI newUri, int weight,
		StickyKey sticky, Auth auth, Set<String> scopes, Shape shape, String breaker, int maxAttempts,
		OnUnavailable onUnavailable, @Nullable Shadow shadow, @Nullable Promotion promotion) {

	/**
	 * Promotion and rollback: at the end of each interval, when the new side served at least {@code minRequests}
	 * with an error rate and a mismatch rate under their limits, the weight goes to the next step; when either rate
	 * is over its limit, it goes back one step and holds there for one interval.
	 * @param steps the weights in order, ascending, each 0 to 100
	 * @param interval how long each step is observed
	 * @param minRequests the new side's requests an interval needs before its rates may promote
	 * @param maxErrorRate the highest error rate of the new side (0 to 1) that still promotes
	 * @param maxMismatchRate the highest share of mismatching comparisons (0 to 1) that still promotes
	 */
	public record Promotion(List<Integer> steps, java.time.Duration interval, long minRequests, double maxErrorRate,
			double maxMismatchRate) {

		public Promotion {
			steps = List.copyOf(steps);
		}

	}

	/**
	 * A parallel run: {@code percent} of the route's reads (idempotent methods without a body) are also sent to
	 * the side that did not serve them, after the client's answer, and the two answers compared.
	 * @param percent the share of reads shadowed, 0 to 100
	 * @param headers the response headers compared, besides the status and the body
	 * @param ignore JSON pointers left out of the comparison; {@code *} stands for any one segment
	 * (e.g. {@code /items/*}{@code /id})
	 * @param unorderedArrays JSON pointers of arrays compared as sets, in any order ({@code *} as above)
	 * @param showValues whether a mismatch keeps the two values, not only where they differ (off: values may be
	 * personal data)
	 */
	public record Shadow(int percent, List<String> headers, List<String> ignore, List<String> unorderedArrays,
			boolean showValues) {

		public Shadow {
			if (percent < 0 || percent > 100) {
				throw new IllegalArgumentException("shadow.percent must be 0..100, but was " + percent);
			}
			headers = List.copyOf(headers);
			ignore = List.copyOf(ignore);
			unorderedArrays = List.copyOf(unorderedArrays);
		}

	}

	/** The methods whose requests a route may store ({@code on-unavailable: store}). */
	public static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

	/** What becomes of a write no side can take: the side's breaker is open, or it failed before answering. */
	public enum OnUnavailable {

		/** The client gets the failure ({@code 503} or {@code 502}): the default. */
		FAIL,

		/**
		 * The BFF stores it, answers {@code 202 Accepted}, and replays it when the side can take it again: declared
		 * {@code on-unavailable: store}, for critical writes, which then need an {@code Idempotency-Key}.
		 */
		STORE

	}

	/** @return whether a request with this method is a critical write this route stores when unavailable */
	public boolean stores(String method) {
		return this.onUnavailable == OnUnavailable.STORE && WRITES.contains(method);
	}

	/** The breaker config a route takes when it names none. */
	public static final String DEFAULT_BREAKER = "default";

	/** The most attempts a route may make for one request: more would multiply the load on a failing side. */
	public static final int MAX_ATTEMPTS = 5;

	/** What a BFF with a route shaper does with a route's answers. */
	public enum Shape {

		/** Shaped, failing closed (the default): only what the client's allow-list names leaves. */
		ALLOW_LIST,

		/** Passed through as the backend sent it: declared {@code shape: passthrough}. */
		PASSTHROUGH

	}

	/** Who may call a route. */
	public enum Auth {

		/** A caller identified by a verified token (the default). */
		USER,

		/** Anyone: declared {@code auth: none} in the routes file. */
		NONE

	}

	/** A route that needs an identified caller and no particular scope. */
	public Route(String id, List<String> paths, Set<String> methods, URI legacy, URI newUri, int weight,
			StickyKey sticky) {
		this(id, paths, methods, legacy, newUri, weight, sticky, Auth.USER, Set.of(), Shape.ALLOW_LIST, DEFAULT_BREAKER,
				1, OnUnavailable.FAIL, null, null);
	}

	/**
	 * A strangled dependency: no paths of its own, every call on behalf of a user kept on one side by the user.
	 * @param id the dependency's name
	 * @param legacy its base URL
	 * @param newUri the base URL of the service replacing it
	 * @param weight share of calls, in percent, sent to the new service
	 */
	public static Route dependency(String id, URI legacy, URI newUri, int weight) {
		return new Route(id, List.of(), Set.of(), legacy, newUri, weight, StickyKey.NONE);
	}

	/** @return this route with another weight and breaker config (a routes file's override of a dependency) */
	public Route with(int weight, String breaker) {
		return new Route(this.id, this.paths, this.methods, this.legacy, this.newUri, weight, this.sticky, this.auth,
				this.scopes, this.shape, breaker, this.maxAttempts, this.onUnavailable, this.shadow, this.promotion);
	}

	public Route {
		Objects.requireNonNull(id, "id");
		paths = List.copyOf(paths);
		methods = Set.copyOf(methods);
		Objects.requireNonNull(legacy, "legacy");
		Objects.requireNonNull(newUri, "newUri");
		Objects.requireNonNull(sticky, "sticky");
		Objects.requireNonNull(auth, "auth");
		Objects.requireNonNull(shape, "shape");
		Objects.requireNonNull(breaker, "breaker");
		Objects.requireNonNull(onUnavailable, "onUnavailable");
		scopes = Set.copyOf(scopes);
		if (weight < 0 || weight > 100) {
			throw new IllegalArgumentException("weight must be 0..100, but was " + weight);
		}
		if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
			throw new IllegalArgumentException("max-attempts must be 1.." + MAX_ATTEMPTS + ", but was " + maxAttempts);
		}
	}

	/** @return whether the route takes requests with this method */
	public boolean takes(String method) {
		return this.methods.isEmpty() || this.methods.contains(method);
	}

	/** @return the base URI of a side */
	public URI uri(Side side) {
		return (side == Side.NEW) ? this.newUri : this.legacy;
	}

}
