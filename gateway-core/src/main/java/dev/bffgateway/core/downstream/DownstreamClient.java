package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.resilience.BudgetedRetry;
import dev.bffgateway.core.resilience.Hedge;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.Strangler;
import dev.bffgateway.core.routing.Strangler.UnservedException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * Calls one dependency through its circuit breaker and bulkhead, with the dependency's own timeouts.
 *
 * <p>A dependency being strangled ({@code new-base-url}) is called through the {@link Strangler}, by the same
 * rules as a strangler route: the side by the weight in force (the routes file can change it live), sticky per
 * user; the new side guarded by its own breaker ({@code <name>:new}); a call the new side cannot answer (its
 * breaker open, or no answer: a GET is safe to repeat) served by legacy; counted in
 * {@value Strangler#REQUESTS_METER} with {@code route} the dependency's name.
 *
 * <p>Every call is timed in {@value #CALLS_METER} tagged {@code dependency} and {@code outcome}
 * ({@code success} or a {@link Degradation#tag()}). A {@code 5xx} answer counts against the breaker; a
 * {@code 4xx} is an answer (the breaker counts it a success) that yields no value.
 *
 * <p>A {@code 2xx} body is read by the client itself, not by message converters: at most the dependency's
 * {@code max-body-size} is read (beyond it: {@code unreadable}), parsed as JSON whatever its content type, and
 * checked against the dependency's contract, a JSON Schema ({@code contract}). A body that does not match fails as
 * {@link Degradation#CONTRACT}, the violations' JSON pointers in the exception's {@link DownstreamCallException#detail()
 * detail} for the log line, never the values. A contract failure counts against the breaker, as a {@code 5xx} and an
 * unreadable body do: the dependency answered, but nothing usable, and a wrong shape is almost always a deploy of
 * theirs that fails every call alike until it is rolled back; opening the breaker stops spending the bulkhead and the
 * read on answers that will be thrown away, shows on the breaker's health, and, for a strangled dependency, sends
 * the new side's users back to legacy. The W3C {@code traceparent}
 * of the current trace goes with every call ({@link OutboundTrace#call}: in a sampled trace, a client span per call),
 * so a call made on a fan-out thread carries the request's trace. The call is Apache HttpClient 5's, on the
 * dependency's own pool, written once: no Spring {@code RestClient}, message converters or client observation
 * around it (they were a third of a dashboard's CPU, docs/benchmarks.md, issue 16). Redirects are never followed, and the HTTP client never retries on its own: a read that got
 * no answer (a refused connection, one closed before any response byte) or a 502/503/504 is retried by the
 * dependency's {@link BudgetedRetry}, inside its breaker (one call to the breaker, however many attempts; none
 * while it is open) and only with a place in its budget ({@code gateway.dependencies.*.retry}). With hedging on
 * ({@code gateway.dependencies.*.hedge.enabled}), a read slower than the p95 of its successful calls gets one more
 * attempt, within the same budget, and the first good answer wins ({@link Hedge}).
 *
 * <p>Thread-safe.
 */
public final class DownstreamClient {

	/** Name of the timer recording every call. */
	public static final String CALLS_METER = "bff.downstream.calls";

	private final String name;

	private final Endpoint legacy;

	private final OutboundTrace trace;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final @Nullable Strangling strangling;

	private final Timer successTimer;

	private final Map<Degradation, Timer> failureTimers = new EnumMap<>(Degradation.class);

	private final String userHeader;

	private final Body body;

	/**
	 * How a successful answer's body is read: parsed by {@code json} from at most {@code maxBytes}, then checked
	 * against the {@code contract} when there is one.
	 */
	record Body(JsonMapper json, long maxBytes, @Nullable ResponseContract contract) {
	}

	private final Attempts attempts;

	/**
	 * How a read is attempted: retried within the dependency's budget, and hedged when it is slow (opt-in).
	 * @param retry the dependency's retries
	 * @param hedge its hedge, or {@code null} when reads are not hedged
	 */
	record Attempts(BudgetedRetry retry, @Nullable Hedge hedge) {
	}

	/**
	 * A dependency being moved from a legacy system to a new service: the new side's client, the strangler, and
	 * where the weight in force is found (the live route table).
	 */
	record Strangling(Endpoint newSide, Strangler strangler, Function<String, @Nullable Route> route) {
	}

	/**
	 * One side of a dependency: where it is and the pooled client that calls it.
	 * @param http the client, this side's alone (its pool is as large as the dependency's bulkhead)
	 * @param host the base URL's scheme, host and port
	 * @param basePath the base URL's path, without a trailing slash; requests' paths are appended to it
	 */
	record Endpoint(CloseableHttpClient http, HttpHost host, String basePath) {

		static Endpoint of(CloseableHttpClient http, URI baseUrl) {
			String path = (baseUrl.getRawPath() != null) ? baseUrl.getRawPath() : "";
			return new Endpoint(http, HttpHost.create(baseUrl),
					path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
		}

		ClassicHttpRequest get(String pathAndQuery) {
			return new BasicClassicHttpRequest(Method.GET, this.host, this.basePath + pathAndQuery);
		}

	}

	DownstreamClient(String name, Endpoint legacy, CircuitBreaker breaker, Bulkhead bulkhead,
			@Nullable Strangling strangling, Attempts attempts, MeterRegistry meters, String userHeader, Body body,
			OutboundTrace trace) {
		this.name = Objects.requireNonNull(name, "name");
		this.attempts = attempts;
		this.body = body;
		this.userHeader = userHeader;
		this.legacy = legacy;
		this.trace = trace;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.strangling = strangling;
		this.successTimer = timer(meters, "success");
		for (Degradation degradation : Degradation.values()) {
			this.failureTimers.put(degradation, timer(meters, degradation.tag()));
		}
	}

	private Timer timer(MeterRegistry meters, String outcome) {
		return Timer.builder(CALLS_METER)
			.description("Calls to a dependency, by outcome")
			// the p95 of successful calls is what a hedged read waits before it hedges
			.publishPercentiles("success".equals(outcome) ? new double[] { 0.95 } : null)
			.tag("dependency", this.name)
			.tag("outcome", outcome)
			.register(meters);
	}

	/** @return the dependency's name */
	public String name() {
		return this.name;
	}

	/** @return the dependency's circuit breaker (its legacy side's, while it is being strangled) */
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
	 * dependency is being strangled it keeps the user on one side.
	 * @param userId the verified user's id, or {@code null} for a call on nobody's behalf (split per call)
	 */
	public <T> T getFor(@Nullable String userId, Class<T> type, String uriTemplate, Object... uriVariables) {
		long start = System.nanoTime();
		Degradation failure = null;
		try {
			Answer<T> answer = call(userId, type, uriTemplate, uriVariables);
			if (answer.body() == null) {
				throw new DownstreamCallException(this.name, Degradation.ERROR_STATUS, null);
			}
			return answer.body();
		}
		catch (DownstreamCallException ex) {
			failure = ex.degradation();
			throw ex;
		}
		finally {
			Timer timer = (failure != null) ? this.failureTimers.get(failure) : this.successTimer;
			timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

	private <T> Answer<T> call(@Nullable String userId, Class<T> type, String uriTemplate, Object... uriVariables) {
		String path;
		try {
			path = expand(uriTemplate, uriVariables);
		}
		catch (IllegalArgumentException ex) {
			// nothing is sent; the call fails, and is timed, as any other failed call
			throw new DownstreamCallException(this.name, Degradation.ERROR, ex);
		}
		Strangling strangling = this.strangling;
		Route route = (strangling != null) ? strangling.route().apply(this.name) : null;
		if (strangling == null || route == null) {
			try {
				return this.breaker.executeCallable(() -> {
					Answer<T> answer = fetch(this.legacy, userId, type, path);
					if (answer.serverFailure()) {
						// counted against the breaker, as the strangler counts a server-failure answer
						throw new DownstreamCallException(this.name, Degradation.ERROR_STATUS, null);
					}
					return answer;
				});
			}
			catch (Exception ex) {
				throw classify(ex);
			}
		}
		try {
			return strangling.strangler()
				.serve(route, userId, null, true, Answer::serverFailure,
						(side, base) -> fetch((side == Side.NEW) ? strangling.newSide() : this.legacy, userId, type,
								path))
				.answer();
		}
		catch (UnservedException ex) {
			throw classify((ex.getCause() instanceof Exception cause) ? cause : ex);
		}
	}

	/**
	 * A dependency's answer: its status, and the body when the status is a success.
	 * @param status the HTTP status code
	 * @param body the body read as the requested type; {@code null} when the status is not a success
	 * @param retryable the wait a retry of it would take ({@link BudgetedRetry#retryableStatus}), or {@code null}
	 * when a retry may not replace it
	 */
	record Answer<T>(int status, @Nullable T body, @Nullable Duration retryable) {

		boolean serverFailure() {
			return this.status >= 500;
		}

	}

	/** One call to one side, under the bulkhead: any answer is returned, a body only read for a success. */
	private <T> Answer<T> fetch(Endpoint endpoint, @Nullable String userId, Class<T> type, String path)
			throws Exception {
		Callable<Answer<T>> attempt = () -> this.bulkhead.executeCallable(() -> exchange(endpoint, userId, type, path));
		Hedge hedge = this.attempts.hedge();
		if (hedge == null) {
			return this.attempts.retry().call(attempt);
		}
		return this.attempts.retry().call(() -> hedge.call(attempt, (answer) -> !answer.serverFailure()));
	}

	/**
	 * One HTTP exchange. A success's body is read inside Apache's handler; any other answer's is drained by Apache
	 * (the connection goes back to the pool), as is the rest of one the handler did not finish.
	 */
	private <T> Answer<T> exchange(Endpoint endpoint, @Nullable String userId, Class<T> type, String path)
			throws IOException {
		ClassicHttpRequest request = endpoint.get(path);
		request.addHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
		if (userId != null) {
			request.addHeader(this.userHeader, userId);
		}
		OutboundTrace.Call traced = this.trace.call(request, this.name);
		try {
			Answer<T> answer = endpoint.http().execute(request, (response) -> answer(response, type));
			traced.answered(answer.status());
			return answer;
		}
		catch (IOException | RuntimeException ex) {
			traced.failed(ex);
			throw ex;
		}
	}

	private <T> Answer<T> answer(ClassicHttpResponse response, Class<T> type) throws IOException {
		int status = response.getCode();
		if (status < 200 || status > 299) {
			Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
			return new Answer<>(status, null,
					BudgetedRetry.retryableStatus(status, (retryAfter != null) ? retryAfter.getValue() : null));
		}
		return new Answer<>(status, read(response.getEntity(), type), null);
	}

	/**
	 * Expands a template's {@code {name}} variables, in order, each encoded as RFC 3986 unreserved characters and
	 * percent-escapes (so a value can never add a path segment or a query parameter), as {@code RestClient}'s
	 * default encoding does; the rest of the template is taken as it is written. A value of {@code .} or {@code ..},
	 * which that encoding leaves as it is, is refused: as a path segment it would name another resource.
	 * @throws IllegalArgumentException when the template's variables and the values given do not match in number,
	 * or a value is {@code .} or {@code ..}
	 */
	static String expand(String template, Object... values) {
		int open = template.indexOf('{');
		if (open < 0 && values.length == 0) {
			return template;
		}
		StringBuilder path = new StringBuilder(template.length() + 32);
		int from = 0;
		int used = 0;
		while (open >= 0) {
			int close = template.indexOf('}', open);
			if (close < 0) {
				throw new IllegalArgumentException("unclosed variable in '" + template + "'");
			}
			if (used == values.length) {
				throw new IllegalArgumentException("'" + template + "' has more variables than the "
						+ values.length + " values given");
			}
			String value = String.valueOf(values[used++]);
			if (".".equals(value) || "..".equals(value)) {
				// unreserved characters, so left as they are, but a segment of its own that would move the path
				throw new IllegalArgumentException("'" + value + "' is not a value for a variable of '" + template
						+ "': as a segment it would change the path");
			}
			path.append(template, from, open).append(UriUtils.encode(value, StandardCharsets.UTF_8));
			from = close + 1;
			open = template.indexOf('{', from);
		}
		if (used != values.length) {
			throw new IllegalArgumentException("'" + template + "' has " + used + " variables, but "
					+ values.length + " values were given");
		}
		return path.append(template, from, template.length()).toString();
	}

	/** Closes the clients of both sides (their pools with them). */
	void close() throws IOException {
		try {
			this.legacy.http().close();
		}
		finally {
			if (this.strangling != null) {
				this.strangling.newSide().http().close();
			}
		}
	}

	/**
	 * Reads a successful answer's body: no more than {@code max-body-size} bytes (a declared larger length fails
	 * before anything is read), parsed as JSON, checked against the contract, then bound to {@code type}.
	 */
	private <T> T read(@Nullable HttpEntity entity, Class<T> type) throws IOException {
		if (entity == null) {
			throw new DownstreamCallException(this.name, Degradation.UNREADABLE, null);
		}
		Body body = this.body;
		if (entity.getContentLength() > body.maxBytes()) {
			BoundedBody.abort(entity.getContent());
			throw new DownstreamCallException(this.name, Degradation.UNREADABLE, new BoundedBody.TooLarge(body.maxBytes()));
		}
		JsonNode tree;
		try (InputStream in = new BoundedBody(entity.getContent(), body.maxBytes())) {
			tree = body.json().readTree(in);
		}
		if (tree == null || tree.isMissingNode()) {
			throw new DownstreamCallException(this.name, Degradation.UNREADABLE, null);
		}
		ResponseContract contract = body.contract();
		if (contract != null) {
			List<String> violations = contract.violations(tree);
			if (!violations.isEmpty()) {
				throw new DownstreamCallException(this.name, Degradation.CONTRACT, String.join(", ", violations),
						null);
			}
		}
		return type.isInstance(tree) ? type.cast(tree) : body.json().treeToValue(tree, type);
	}

	private DownstreamCallException classify(Exception ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof DownstreamCallException known) {
				return known;
			}
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
		if (has(ex, BoundedBody.TooLarge.class) || has(ex, JacksonException.class)) {
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
