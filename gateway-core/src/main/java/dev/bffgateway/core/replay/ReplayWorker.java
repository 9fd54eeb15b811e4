package dev.bffgateway.core.replay;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.Strangler;
import dev.bffgateway.core.routing.Strangler.UnservedException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * Replays one stored request: claims it, sends it through the route's {@link Strangler} (the side its sticky key
 * picks, under that side's breaker, at most {@code rate} a second per route, by a Resilience4j rate limiter) with its
 * method, path, query, body, content type, the user's id in the user header and its {@code Idempotency-Key}, so a
 * backend that honours the key applies it once, and records the outcome: {@code 2xx} is {@code APPLIED}; any other
 * answer below {@code 500} is {@code FAILED} and never retried; a {@code 5xx}, a timeout or a refused connection is
 * tried again after an exponential backoff, and after {@code max-attempts} it is {@code FAILED} and dead-lettered;
 * a request older than {@code max-age} is {@code EXPIRED} and never sent; while the side's breaker is open nothing is
 * sent and nothing counts as an attempt. Counted in {@code bff.replay.outcomes{route,outcome}}.
 */
final class ReplayWorker {

	private static final Logger logger = LoggerFactory.getLogger(ReplayWorker.class);

	/** What becomes of the message that triggered a replay. */
	enum Kind {

		/** Done with: deleted. */
		DONE,

		/** Back on the queue after the delay. */
		RETRY,

		/** Not tried: the route cannot take a call now (its breakers are open); back on the queue after the delay. */
		WAIT,

		/** Given up: on the dead-letter queue; deleted from this one. */
		DEAD

	}

	record Outcome(Kind kind, Duration delay) {

		static final Outcome DONE = new Outcome(Kind.DONE, Duration.ZERO);

		static final Outcome DEAD = new Outcome(Kind.DEAD, Duration.ZERO);

		static Outcome retry(Duration delay) {
			return new Outcome(Kind.RETRY, delay);
		}

		boolean comesBack() {
			return this.kind == Kind.RETRY || this.kind == Kind.WAIT;
		}

	}

	private final RequestStore store;

	private final ReplayQueue queue;

	private final Function<String, @Nullable Route> routes;

	private final Strangler strangler;

	private final RestClient client;

	private final RateLimiterRegistry limiters;

	private final ReplayProperties properties;

	private final String userHeader;

	private final Clock clock;

	private final MeterRegistry meters;

	/**
	 * @param routes the route in force by id (the live route table's), or {@code null} when there is none
	 */
	ReplayWorker(RequestStore store, ReplayQueue queue, Function<String, @Nullable Route> routes, Strangler strangler,
			RestClient client, ReplayProperties properties, String userHeader, Clock clock, MeterRegistry meters) {
		this.store = store;
		this.queue = queue;
		this.routes = routes;
		this.strangler = strangler;
		this.client = client;
		this.properties = properties;
		this.userHeader = userHeader;
		this.clock = clock;
		this.meters = meters;
		this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
			.limitForPeriod(properties.rate())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ofSeconds(30))
			.build());
	}

	/**
	 * @param routeId the route a message named
	 * @param requestId the stored request it named
	 * @return what becomes of the message
	 */
	Outcome replay(String routeId, String requestId) {
		Route named = route(routeId);
		if (named != null && !this.strangler.mayTake(named)) {
			// nothing read, nothing claimed: a route that cannot take a call costs the store nothing
			return new Outcome(Kind.WAIT, this.properties.breakerOpenDelay());
		}
		StoredRequest request = this.store.get(requestId);
		if (request == null || request.status().isFinal()) {
			return Outcome.DONE;
		}
		long now = this.clock.millis();
		if (now - request.createdAt() > this.properties.maxAge().toMillis()) {
			this.store.finish(requestId, StoredRequest.Status.EXPIRED, 0, request.attempts(), now);
			count(request.route(), "expired");
			return Outcome.DONE;
		}
		Route route = route(request.route());
		if (route == null) {
			logger.warn("A stored request's route '{}' is not in the route table; it waits", request.route());
			return Outcome.retry(this.properties.maxBackoff());
		}
		if (!this.store.claim(requestId, now, now + this.properties.lease().toMillis())) {
			return Outcome.retry(this.properties.breakerOpenDelay()); // another worker holds it
		}
		RateLimiter limiter = this.limiters.rateLimiter(route.id());
		limiter.acquirePermission();
		int attempts = request.attempts();
		try {
			int status = this.strangler
				.serve(route, request.stickyKey(), null, false, (answer) -> answer >= 500,
						(side, base) -> send(request, base))
				.answer();
			attempts++;
			if (status >= 200 && status < 300) {
				this.store.finish(requestId, StoredRequest.Status.APPLIED, status, attempts, this.clock.millis());
				count(route.id(), "applied");
				return Outcome.DONE;
			}
			if (status < 500) {
				this.store.finish(requestId, StoredRequest.Status.FAILED, status, attempts, this.clock.millis());
				count(route.id(), "refused");
				return Outcome.DONE;
			}
			return again(request, attempts, status);
		}
		catch (UnservedException ex) {
			if (ex.failure() != Strangler.Failure.FAILED) {
				// nothing was sent: the breaker is open, or the BFF had no connection free
				this.store.release(requestId, attempts, this.clock.millis());
				count(route.id(), "breaker_open");
				return new Outcome(Kind.WAIT, this.properties.breakerOpenDelay());
			}
			return again(request, attempts + 1, 0);
		}
	}

	private Outcome again(StoredRequest request, int attempts, int status) {
		long now = this.clock.millis();
		if (attempts >= this.properties.maxAttempts()) {
			this.store.finish(request.id(), StoredRequest.Status.FAILED, status, attempts, now);
			this.queue.deadLetter(request.route(), request.id(), request.group());
			count(request.route(), "dead_lettered");
			return Outcome.DEAD;
		}
		this.store.release(request.id(), attempts, now);
		count(request.route(), "retried");
		return Outcome.retry(backoff(attempts));
	}

	/** @return the wait after the n-th attempt: {@code initial × 2^(n-1)}, at most {@code max-backoff} */
	Duration backoff(int attempts) {
		Duration wait = this.properties.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
		return (wait.compareTo(this.properties.maxBackoff()) > 0) ? this.properties.maxBackoff() : wait;
	}

	private @Nullable Route route(String id) {
		return this.routes.apply(id);
	}

	/** Sends the stored request to one side: its base's path, if any, prefixes the request's. */
	private int send(StoredRequest request, URI base) {
		String prefix = (base.getRawPath() == null || base.getRawPath().equals("/")) ? "" : base.getRawPath();
		if (prefix.endsWith("/")) {
			prefix = prefix.substring(0, prefix.length() - 1);
		}
		URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + request.path()
				+ ((request.query() != null) ? "?" + request.query() : ""));
		return this.client.method(HttpMethod.valueOf(request.method()))
			.uri(uri)
			.headers((headers) -> {
				if (request.contentType() != null) {
					headers.set(HttpHeaders.CONTENT_TYPE, request.contentType());
				}
				headers.set(CriticalWrites.IDEMPOTENCY_KEY, request.idempotencyKey());
				if (request.owner() != null) {
					headers.set(this.userHeader, request.owner());
				}
			})
			.body(request.body())
			.exchange((clientRequest, response) -> response.getStatusCode().value());
	}

	private void count(String route, String outcome) {
		Counter.builder("bff.replay.outcomes").tag("route", route).tag("outcome", outcome).register(this.meters)
			.increment();
	}

}
