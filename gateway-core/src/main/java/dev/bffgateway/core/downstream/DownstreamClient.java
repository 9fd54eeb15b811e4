package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.SideSelector;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Calls one dependency through its circuit breaker and bulkhead, with the dependency's own timeouts.
 *
 * <p>Every call is timed in {@value #CALLS_METER} tagged {@code dependency} and {@code outcome}
 * ({@code success} or a {@link Degradation#tag()}). The W3C {@code traceparent} of the current trace is
 * added by the client's observation, so a call made on a fan-out thread carries the request's trace.
 *
 * <p>Thread-safe.
 */
public final class DownstreamClient {

	/** Name of the timer recording every call. */
	public static final String CALLS_METER = "bff.downstream.calls";

	/** Name of the counter of calls to a strangled dependency, by side that answered and outcome. */
	public static final String SIDES_METER = "bff.downstream.sides";

	private final String name;

	private final RestClient restClient;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final @Nullable Strangling strangling;

	private final Timer successTimer;

	private final Map<Degradation, Timer> failureTimers = new EnumMap<>(Degradation.class);

	private final MeterRegistry meters;

	private final String userHeader;

	/**
	 * A dependency being moved from a legacy system to a new service: the new side's client and breaker, and
	 * the weight as a route for the {@link SideSelector}.
	 */
	record Strangling(RestClient restClient, CircuitBreaker breaker, Route route, SideSelector selector) {
	}

	DownstreamClient(String name, RestClient restClient, CircuitBreaker breaker, Bulkhead bulkhead,
			@Nullable Strangling strangling, MeterRegistry meters, String userHeader) {
		this.name = Objects.requireNonNull(name, "name");
		this.userHeader = userHeader;
		this.restClient = restClient;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.strangling = strangling;
		this.meters = meters;
		this.successTimer = timer(meters, "success");
		for (Degradation degradation : Degradation.values()) {
			this.failureTimers.put(degradation, timer(meters, degradation.tag()));
		}
	}

	private Timer timer(MeterRegistry meters, String outcome) {
		return Timer.builder(CALLS_METER)
			.description("Calls to a dependency, by outcome")
			.tag("dependency", this.name)
			.tag("outcome", outcome)
			.register(meters);
	}

	/** @return the dependency's name */
	public String name() {
		return this.name;
	}

	/** @return the dependency's circuit breaker */
	public CircuitBreaker breaker() {
		return this.breaker;
	}

	/**
	 * GETs a JSON resource and reads it as {@code type}.
	 * @param type the body type, e.g. {@code JsonNode.class}
	 * @param uriTemplate path (and query) relative to the base URL, e.g. {@code /users/{id}}
	 * @param uriVariables values for the template's variables, encoded as path segments
	 * @return the body, never {@code null}
	 * @throws DownstreamCallException with the classified reason when no usable body was obtained
	 */
	public <T> T get(Class<T> type, String uriTemplate, Object... uriVariables) {
		return getFor(null, type, uriTemplate, uriVariables);
	}

	/**
	 * Like {@link #get}, on behalf of a verified user: the user id travels in the user header
	 * ({@code gateway.security.user-header}, default {@code X-User-Id}), set by the BFF alone, and while the
	 * dependency is being strangled ({@code new-base-url} and {@code weight}) it keeps the user on one side; a
	 * call the new side cannot answer (its breaker open, or any failure: a GET is safe to repeat) is served by
	 * legacy and counted as a fallback.
	 * @param userId the verified user's id, or {@code null} for a call on nobody's behalf (split per call)
	 */
	public <T> T getFor(@Nullable String userId, Class<T> type, String uriTemplate, Object... uriVariables) {
		Strangling strangling = this.strangling;
		if (strangling == null) {
			return call(this.restClient, this.breaker, userId, type, uriTemplate, uriVariables);
		}
		String outcome = "ok";
		if (strangling.selector().select(strangling.route(), userId) == Side.NEW) {
			try {
				T body = call(strangling.restClient(), strangling.breaker(), userId, type, uriTemplate, uriVariables);
				count(Side.NEW, outcome);
				return body;
			}
			catch (DownstreamCallException ex) {
				outcome = "fallback";
			}
		}
		T body = call(this.restClient, this.breaker, userId, type, uriTemplate, uriVariables);
		count(Side.LEGACY, outcome);
		return body;
	}

	private void count(Side side, String outcome) {
		this.meters.counter(SIDES_METER, "dependency", this.name, "side", side.value(), "outcome", outcome).increment();
	}

	private <T> T call(RestClient client, CircuitBreaker breaker, @Nullable String userId, Class<T> type,
			String uriTemplate, Object... uriVariables) {
		long start = System.nanoTime();
		Degradation failure = null;
		try {
			return breaker.executeCallable(
					() -> this.bulkhead.executeCallable(() -> fetch(client, userId, type, uriTemplate, uriVariables)));
		}
		catch (Exception ex) {
			DownstreamCallException classified = classify(ex);
			failure = classified.degradation();
			throw classified;
		}
		finally {
			Timer timer = (failure != null) ? this.failureTimers.get(failure) : this.successTimer;
			timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

	private <T> T fetch(RestClient client, @Nullable String userId, Class<T> type, String uriTemplate,
			Object... uriVariables) {
		T body = client.get()
			.uri(uriTemplate, uriVariables)
			.accept(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (userId != null) {
					headers.set(this.userHeader, userId);
				}
			})
			.retrieve()
			.body(type);
		if (body == null) {
			throw new DownstreamCallException(this.name, Degradation.UNREADABLE, null);
		}
		return body;
	}

	private DownstreamCallException classify(Exception ex) {
		if (ex instanceof DownstreamCallException known) {
			return known;
		}
		return new DownstreamCallException(this.name, reason(ex), ex);
	}

	static Degradation reason(Throwable ex) {
		if (ex instanceof CallNotPermittedException) {
			return Degradation.BREAKER_OPEN;
		}
		if (ex instanceof BulkheadFullException) {
			return Degradation.BULKHEAD_FULL;
		}
		if (ex instanceof RestClientResponseException) {
			return Degradation.ERROR_STATUS;
		}
		if (has(ex, HttpMessageNotReadableException.class) || has(ex, JacksonException.class)) {
			return Degradation.UNREADABLE;
		}
		if (has(ex, HttpTimeoutException.class) || has(ex, SocketTimeoutException.class)) {
			return Degradation.TIMEOUT;
		}
		if (has(ex, IOException.class)) {
			return Degradation.UNREACHABLE;
		}
		return Degradation.ERROR;
	}

	private static boolean has(@Nullable Throwable ex, Class<? extends Throwable> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

}
