package dev.bffgateway.core.routing;

import dev.bffgateway.core.problem.Problems;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.Cookie;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves a request that matched a strangler route: picks the side, proxies through Gateway Server MVC under
 * that side's breaker, falls back to legacy when the new side cannot take it, and names the side that
 * answered in {@value #SIDE_HEADER}.
 *
 * <p>Fallback: when the new side's breaker is open nothing was sent, so any request falls back. When the
 * new side fails before answering (refused, reset, timeout), only requests that are safe to send twice fall
 * back: idempotent methods without a body. Anything else (a POST, a PUT with a body) may already have had its
 * effect on the new side, and its body has been streamed away; replaying it could do the thing twice, so it
 * gets a 502 instead.
 */
final class StranglerHandler implements HandlerFunction<ServerResponse> {

	private static final Logger logger = LoggerFactory.getLogger(StranglerHandler.class);

	static final String ROUTE_ATTRIBUTE = StranglerHandler.class.getName() + ".route";

	static final String SIDE_HEADER = "X-Strangler-Side";

	static final String FORCE_HEADER = "X-Strangler-Force";

	static final String REQUESTS_METER = "bff.strangler.requests";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> REPLAYABLE = Set.of("GET", "HEAD", "OPTIONS", "DELETE", "PUT");

	private final RouteTables tables;

	private final SideSelector selector;

	private final HandlerFunction<ServerResponse> proxy;

	private final CircuitBreakerRegistry breakers;

	private final CircuitBreakerConfig breakerConfig;

	private final boolean forceEnabled;

	private final MeterRegistry meters;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final @Nullable RouteShaper shaper;

	StranglerHandler(RouteTables tables, SideSelector selector, HandlerFunction<ServerResponse> proxy,
			CircuitBreakerRegistry breakers, CircuitBreakerConfig breakerConfig, boolean forceEnabled,
			MeterRegistry meters, @Nullable RouteShaper shaper) {
		this.shaper = shaper;
		this.tables = tables;
		this.selector = selector;
		this.proxy = proxy;
		this.breakers = breakers;
		this.breakerConfig = breakerConfig;
		this.forceEnabled = forceEnabled;
		this.meters = meters;
	}

	/**
	 * Matches requests a route of the current table takes, and pins that route to the request. The BFF's own
	 * paths are never a route's, even under a catch-all. The path is the request's as received: the security
	 * boundary has already refused every path that is not in normal form, so it is the normalised path too.
	 */
	RequestPredicate predicate() {
		return (request) -> {
			String path = request.requestPath().pathWithinApplication().value();
			if (ReservedPaths.isReserved(path)) {
				return false;
			}
			Optional<Route> route = this.tables.current().match(request.method().name(), path);
			route.ifPresent((r) -> request.attributes().put(ROUTE_ATTRIBUTE, r));
			return route.isPresent();
		};
	}

	@Override
	public ServerResponse handle(ServerRequest request) throws Exception {
		Route route = (Route) request.attribute(ROUTE_ATTRIBUTE)
			.orElseThrow(() -> new IllegalStateException("strangler handler without a matched route"));
		Side side = choose(route, request);
		if (side == Side.NEW) {
			try {
				return served(route, Side.NEW, call(route, Side.NEW, request), "ok", request);
			}
			catch (CallNotPermittedException open) {
				return fallBack(route, request, "breaker open");
			}
			catch (ClientSideFailure failed) {
				return clientSide(route, Side.NEW, failed);
			}
			catch (Exception failed) {
				if (!replayable(request)) {
					count(route, Side.NEW, "error");
					return problem(HttpStatus.BAD_GATEWAY, route, Side.NEW, failed);
				}
				return fallBack(route, request, failed.toString());
			}
		}
		return fromLegacy(route, request, "ok");
	}

	private Side choose(Route route, ServerRequest request) {
		if (this.forceEnabled) {
			String forced = request.headers().firstHeader(FORCE_HEADER);
			if (forced != null) {
				for (Side side : Side.values()) {
					if (side.value().equals(forced.trim().toLowerCase(Locale.ROOT))) {
						return side;
					}
				}
			}
		}
		return this.selector.select(route, stickyKey(route.sticky(), request));
	}

	private static @Nullable String stickyKey(StickyKey sticky, ServerRequest request) {
		return switch (sticky) {
			case StickyKey.Header header -> request.headers().firstHeader(header.name());
			case StickyKey.Cookie cookie -> {
				Cookie[] cookies = request.servletRequest().getCookies();
				if (cookies != null) {
					for (Cookie candidate : cookies) {
						if (candidate.getName().equals(cookie.name())) {
							yield candidate.getValue();
						}
					}
				}
				yield null;
			}
			case StickyKey.None none -> null;
		};
	}

	private ServerResponse fallBack(Route route, ServerRequest request, String why) {
		// per request, so debug: the breaker's state changes are logged once each (ResilienceAutoConfiguration)
		logger.debug("Route '{}': new side unavailable ({}), serving from legacy", route.id(), why);
		return fromLegacy(route, request, "fallback");
	}

	/** The client, or the BFF's own pool, failed the call: never the backend's fault, so never a breaker's. */
	private ServerResponse clientSide(Route route, Side side, ClientSideFailure failure) {
		count(route, side, "client_error");
		HttpStatus status = switch (failure.cause) {
			case ClientBodyException body when body.reason() == ClientBodyException.Reason.TOO_LARGE ->
				HttpStatus.CONTENT_TOO_LARGE;
			case ClientBodyException body -> HttpStatus.BAD_REQUEST;
			default -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		String detail = switch (status) {
			case CONTENT_TOO_LARGE -> failure.cause.getMessage();
			case BAD_REQUEST -> "The request body could not be read to its end.";
			default -> "The BFF has no free connection to the " + side.value() + " system; try again.";
		};
		logger.debug("Route '{}': {} side not called to the end, client-side: {}", route.id(), side.value(),
				failure.cause.getClass().getSimpleName());
		ServerResponse.BodyBuilder response = ServerResponse.status(status)
			.header(SIDE_HEADER, side.value())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header(HttpHeaders.RETRY_AFTER, "1");
		}
		return response.body(ProblemDetail.forStatusAndDetail(status, detail));
	}

	/** Serves from legacy; when legacy cannot answer either, a problem: 503 while its breaker is open, else 502. */
	private ServerResponse fromLegacy(Route route, ServerRequest request, String outcome) {
		try {
			return served(route, Side.LEGACY, call(route, Side.LEGACY, request), outcome, request);
		}
		catch (CallNotPermittedException open) {
			count(route, Side.LEGACY, "error");
			return problem(HttpStatus.SERVICE_UNAVAILABLE, route, Side.LEGACY, open);
		}
		catch (ClientSideFailure failed) {
			return clientSide(route, Side.LEGACY, failed);
		}
		catch (Exception failed) {
			count(route, Side.LEGACY, "error");
			return problem(HttpStatus.BAD_GATEWAY, route, Side.LEGACY, failed);
		}
	}

	private static boolean replayable(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		boolean body = headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
		return REPLAYABLE.contains(request.method().name()) && !body;
	}

	/** Proxies to one side under its breaker; a 5xx answer counts against the side like a failure. */
	private ServerResponse call(Route route, Side side, ServerRequest request) throws Exception {
		CircuitBreaker breaker = breaker(route, side);
		breaker.acquirePermission();
		long start = breaker.getCurrentTimestamp();
		try {
			URI base = route.uri(side);
			ServerRequest target = request;
			if (base.getRawPath() != null && !base.getRawPath().isEmpty() && !base.getRawPath().equals("/")) {
				target = BeforeFilterFunctions.prefixPath(base.getRawPath()).apply(request);
			}
			MvcUtils.setRequestUrl(target, base);
			ServerResponse response = this.proxy.handle(target);
			long duration = breaker.getCurrentTimestamp() - start;
			if (response.statusCode().is5xxServerError()) {
				breaker.onError(duration, breaker.getTimestampUnit(),
						new IllegalStateException("answered " + response.statusCode().value()));
			}
			else {
				breaker.onSuccess(duration, breaker.getTimestampUnit());
			}
			return response;
		}
		catch (Exception ex) {
			Exception clientSide = clientSideCause(ex);
			if (clientSide != null) {
				breaker.releasePermission();
				throw new ClientSideFailure(clientSide);
			}
			breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), ex);
			throw ex;
		}
	}

	/**
	 * @return the client-side cause of a failed call, or {@code null} when the backend (or the way to it) failed:
	 * the client's body could not be read ({@link ClientBodyException}), or no pooled connection was free in time
	 * (a lease timeout: the BFF's own capacity, held by slow clients, says nothing about the backend's health)
	 */
	private static @Nullable Exception clientSideCause(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ClientBodyException || t instanceof ConnectionRequestTimeoutException) {
				return (Exception) t;
			}
		}
		return null;
	}

	/** A call that failed on the client's side; carries the cause out of {@link #call}. */
	private static final class ClientSideFailure extends Exception {

		private final Exception cause;

		ClientSideFailure(Exception cause) {
			super(null, null, false, false);
			this.cause = cause;
		}

	}

	CircuitBreaker breaker(Route route, Side side) {
		return this.breakers.circuitBreaker(breakerName(route, side), this.breakerConfig);
	}

	static String breakerName(Route route, Side side) {
		return "route:" + route.id() + ":" + side.value();
	}

	private ServerResponse served(Route route, Side side, ServerResponse response, String outcome,
			ServerRequest request) {
		count(route, side, outcome);
		response.headers().set(SIDE_HEADER, side.value());
		RouteShaper shaper = this.shaper;
		if (shaper == null || route.shape() == Route.Shape.PASSTHROUGH) {
			return response;
		}
		return shaped(route, side, response, request, shaper);
	}

	/**
	 * The backend's answer with its JSON body shaped: the answer is written into a buffer (headers and status pass
	 * through), then only the shaped body leaves. A body that is not JSON is withheld: the client gets a
	 * {@code 502} problem instead. Validators of the original body ({@code ETag}, {@code Content-MD5}) go with it.
	 */
	private ServerResponse shaped(Route route, Side side, ServerResponse response, ServerRequest request,
			RouteShaper shaper) {
		List<HttpMessageConverter<?>> converters = request.messageConverters();
		ServerResponse.Context context = () -> converters;
		return ServerResponse.status(response.statusCode()).build((servletRequest, servletResponse) -> {
			ContentCachingResponseWrapper buffer = new ContentCachingResponseWrapper(servletResponse);
			response.writeTo(servletRequest, buffer, context);
			byte[] body = buffer.getContentAsByteArray();
			if (body.length == 0) {
				return null;
			}
			String type = buffer.getContentType();
			JsonNode answer = null;
			if (type != null && isJson(type) && servletResponse.getHeader(HttpHeaders.CONTENT_ENCODING) == null) {
				try {
					answer = JSON.readTree(body);
				}
				catch (JacksonException ex) {
					answer = null;
				}
			}
			if (answer == null) {
				count(route, side, "unshapeable");
				servletResponse.reset();
				servletResponse.setHeader(SIDE_HEADER, side.value());
				Problems.write(servletResponse, HttpStatus.BAD_GATEWAY,
						"The answer behind this route is not JSON, so it cannot be shaped for this client.");
				return null;
			}
			byte[] shaped = JSON.writeValueAsBytes(shaper.shape(route, servletRequest, answer));
			servletResponse.setHeader(HttpHeaders.ETAG, null);
			servletResponse.setHeader("Content-MD5", null);
			servletResponse.setContentLength(shaped.length);
			servletResponse.getOutputStream().write(shaped);
			return null;
		});
	}

	private static boolean isJson(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private ServerResponse problem(HttpStatus status, Route route, Side side, Exception failure) {
		// per request, so debug, and never the message: it can hold the URL, and with it a user's id
		logger.debug("Route '{}': {} side failed", route.id(), side.value(), failure);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				"The " + side.value() + " system behind this route could not answer.");
		return ServerResponse.status(status)
			.header(SIDE_HEADER, side.value())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	void count(Route route, Side side, String outcome) {
		String key = route.id() + '|' + side.value() + '|' + outcome;
		this.counters.computeIfAbsent(key, (k) -> Counter.builder(REQUESTS_METER)
			.description("Requests on strangler routes, by side that answered and outcome")
			.tag("route", route.id())
			.tag("side", side.value())
			.tag("outcome", outcome)
			.register(this.meters)).increment();
	}

}
