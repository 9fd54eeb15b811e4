package dev.bffgateway.core.shadow;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.Strangler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The parallel runs of routes that declare {@code shadow}. For a shadowed read, the client's answer is written as it
 * comes (a copy of its body kept on the side, up to 1 MiB) and flushed; only then is the same request sent to the side
 * that did not serve, on a virtual thread, and the answers compared ({@link Comparison}). The shadow never delays or
 * changes the client's answer: it is bounded by its own Resilience4j bulkhead per route
 * ({@code gateway.shadow.max-concurrent}, 20 at once; beyond, it is skipped), it is not sent while that side's breaker is open, and what it gets counts against that breaker as any
 * call does (a failure or a {@code 5xx}), so a dead shadow side pauses the shadowing by itself.
 *
 * <p>Counted in {@code bff.shadow.comparisons{route,outcome=match|mismatch|error}} and
 * {@code bff.shadow.skipped{route,reason}}; the last 50 mismatches per route are kept in memory (where the answers
 * differ; values only where the route opts in; nothing of the request). On Lambda the shadow runs after the answer
 * too, so a sandbox frozen right after it may cut it short: it is then neither a match nor a mismatch.
 */
public final class ShadowRuns {

	private static final Logger logger = LoggerFactory.getLogger(ShadowRuns.class);

	static final int KEPT = 50;

	private static final int MAX_BODY = 1024 * 1024;

	/** Not sent on: hop by hop, framing, or what the shadow client sets itself. */
	private static final Set<String> NOT_COPIED = Set.of("host", "content-length", "transfer-encoding", "connection",
			"keep-alive", "te", "trailer", "upgrade", "expect", "proxy-authorization", "proxy-connection");

	/** Tells the shadow side a request is a copy, so it can keep it out of what it counts or bills. */
	public static final String SHADOW_HEADER = "X-Shadow-Request";

	private final Strangler strangler;

	private final RestClient client;

	private final MeterRegistry meters;

	private final DoubleSupplier random;

	private final Clock clock;

	private final BulkheadRegistry bulkheads;

	private final Map<String, Deque<Mismatch>> mismatches = new ConcurrentHashMap<>();

	/**
	 * @param strangler the routes' breakers
	 * @param client the shadow calls' client (pooled, no redirects, no retries)
	 * @param meters where comparisons are counted
	 * @param random uniform in [0, 1): which reads are shadowed
	 * @param clock when mismatches happened
	 * @param maxConcurrent the shadow calls one route may have under way at once; beyond, a shadow is skipped
	 */
	public ShadowRuns(Strangler strangler, RestClient client, MeterRegistry meters, DoubleSupplier random, Clock clock,
			int maxConcurrent) {
		this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
			.maxConcurrentCalls(maxConcurrent)
			.maxWaitDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build());
		this.strangler = strangler;
		this.client = client;
		this.meters = meters;
		this.random = random;
		this.clock = clock;
	}

	/** What a shadow call needs of the client's request, copied while the request is alive. */
	private record Copy(String method, String path, @Nullable String query, HttpHeaders headers) {
	}

	/**
	 * The client's answer, shadowed if the route's share says so.
	 * @param route the route, with {@code shadow} set
	 * @param served the side that answered
	 * @param request the client's request (a read without a body)
	 * @param answer the served side's answer
	 * @return the answer to write to the client: the same, with the shadow run after it when chosen
	 */
	public ServerResponse around(Route route, Side served, ServerRequest request, ServerResponse answer) {
		Route.Shadow shadow = route.shadow();
		if (shadow == null || this.random.getAsDouble() * 100 >= shadow.percent()) {
			return answer;
		}
		Side other = (served == Side.NEW) ? Side.LEGACY : Side.NEW;
		CircuitBreaker breaker = this.strangler.breaker(route, other);
		if (breaker.getState() == CircuitBreaker.State.OPEN || breaker.getState() == CircuitBreaker.State.FORCED_OPEN) {
			skipped(route, "breaker_open");
			return answer;
		}
		Copy copy = copy(request);
		List<HttpMessageConverter<?>> converters = request.messageConverters();
		ServerResponse.Context context = () -> converters;
		return ServerResponse.status(answer.statusCode()).build((servletRequest, servletResponse) -> {
			Captured captured = new Captured(servletResponse, MAX_BODY);
			answer.writeTo(servletRequest, captured, context);
			captured.flushBuffer(); // the client's answer is on its way before the shadow leaves
			if (captured.overflow()) {
				skipped(route, "too_large");
				return null;
			}
			Comparison.Answer servedAnswer = captured.answer();
			Bulkhead bulkhead = this.bulkheads.bulkhead(route.id());
			if (!bulkhead.tryAcquirePermission()) {
				skipped(route, "bulkhead_full");
				return null;
			}
			Thread.ofVirtual().name("shadow-" + route.id()).start(() -> {
				try {
					run(route, served, other, copy, servedAnswer, shadow);
				}
				finally {
					bulkhead.onComplete();
				}
			});
			return null;
		});
	}

	private void run(Route route, Side served, Side other, Copy copy, Comparison.Answer servedAnswer,
			Route.Shadow shadow) {
		CircuitBreaker breaker = this.strangler.breaker(route, other);
		Comparison.Answer shadowAnswer;
		try {
			shadowAnswer = breaker.executeCheckedSupplier(() -> {
				Comparison.Answer answer = send(route.uri(other), copy);
				if (answer.status() >= 500) {
					throw new ServerFailure(answer);
				}
				return answer;
			});
		}
		catch (ServerFailure failure) {
			shadowAnswer = failure.answer;
		}
		catch (Throwable ex) {
			// refused, timed out, or the breaker opened meanwhile: nothing to compare
			logger.debug("Route '{}': the shadow call to {} failed", route.id(), other.value(), ex);
			count(route, "error");
			return;
		}
		List<Comparison.Difference> differences = Comparison.differences(servedAnswer, shadowAnswer, shadow);
		if (differences.isEmpty()) {
			count(route, "match");
			return;
		}
		count(route, "mismatch");
		Deque<Mismatch> kept = this.mismatches.computeIfAbsent(route.id(), (id) -> new ArrayDeque<>());
		synchronized (kept) {
			kept.addFirst(new Mismatch(this.clock.instant(), served.value(), differences));
			while (kept.size() > KEPT) {
				kept.removeLast();
			}
		}
	}

	private Comparison.Answer send(URI base, Copy copy) {
		String prefix = (base.getRawPath() == null || base.getRawPath().equals("/")) ? "" : base.getRawPath();
		if (prefix.endsWith("/")) {
			prefix = prefix.substring(0, prefix.length() - 1);
		}
		URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + copy.path()
				+ ((copy.query() != null) ? "?" + copy.query() : ""));
		return this.client.method(HttpMethod.valueOf(copy.method()))
			.uri(uri)
			.headers((headers) -> {
				headers.addAll(copy.headers());
				headers.set(SHADOW_HEADER, "true");
			})
			.exchange((request, response) -> {
				byte[] body = response.getBody().readNBytes(MAX_BODY);
				Map<String, List<String>> headers = new LinkedHashMap<>();
				response.getHeaders().forEach(headers::put);
				String type = response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
				return new Comparison.Answer(response.getStatusCode().value(), headers, type, body);
			});
	}

	private static Copy copy(ServerRequest request) {
		HttpHeaders headers = new HttpHeaders();
		request.headers().asHttpHeaders().forEach((name, values) -> {
			if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
				headers.put(name, List.copyOf(values));
			}
		});
		return new Copy(request.method().name(), request.requestPath().pathWithinApplication().value(),
				request.servletRequest().getQueryString(), headers);
	}

	/** @return the last mismatches of a route, newest first (at most 50) */
	public List<Mismatch> mismatches(String route) {
		Deque<Mismatch> kept = this.mismatches.get(route);
		if (kept == null) {
			return List.of();
		}
		synchronized (kept) {
			return List.copyOf(kept);
		}
	}

	/** @return a route's comparisons so far, by outcome ({@code match}, {@code mismatch}, {@code error}) */
	public Map<String, Long> comparisons(String route) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String outcome : List.of("match", "mismatch", "error")) {
			Counter counter = this.meters.find("bff.shadow.comparisons").tag("route", route).tag("outcome", outcome)
				.counter();
			counts.put(outcome, (counter != null) ? (long) counter.count() : 0L);
		}
		return Collections.unmodifiableMap(counts);
	}

	private void count(Route route, String outcome) {
		Counter.builder("bff.shadow.comparisons").tag("route", route.id()).tag("outcome", outcome)
			.register(this.meters).increment();
	}

	private void skipped(Route route, String reason) {
		Counter.builder("bff.shadow.skipped").tag("route", route.id()).tag("reason", reason).register(this.meters)
			.increment();
	}

	/** A 5xx answer: the shadow side's breaker counts it, and it is compared all the same. */
	private static final class ServerFailure extends Exception {

		private final transient Comparison.Answer answer;

		ServerFailure(Comparison.Answer answer) {
			super(null, null, false, false);
			this.answer = answer;
		}

	}

}
