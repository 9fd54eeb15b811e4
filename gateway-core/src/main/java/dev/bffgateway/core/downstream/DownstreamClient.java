package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.bffgateway.core.aggregation.Degradation;
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

	private final String name;

	private final RestClient restClient;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final Timer successTimer;

	private final Map<Degradation, Timer> failureTimers = new EnumMap<>(Degradation.class);

	DownstreamClient(String name, RestClient restClient, CircuitBreaker breaker, Bulkhead bulkhead,
			MeterRegistry meters) {
		this.name = Objects.requireNonNull(name, "name");
		this.restClient = restClient;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
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
		long start = System.nanoTime();
		Degradation failure = null;
		try {
			return this.breaker.executeCallable(
					() -> this.bulkhead.executeCallable(() -> fetch(type, uriTemplate, uriVariables)));
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

	private <T> T fetch(Class<T> type, String uriTemplate, Object... uriVariables) {
		T body = this.restClient.get()
			.uri(uriTemplate, uriVariables)
			.accept(MediaType.APPLICATION_JSON)
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
