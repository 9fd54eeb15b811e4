package dev.bffgateway.core.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.bffgateway.core.problem.Problems;
import dev.bffgateway.core.replay.CriticalWrites;
import dev.bffgateway.core.resilience.BudgetedRetry;
import dev.bffgateway.core.shadow.ShadowRuns;
import dev.bffgateway.core.routing.ClientBodyException;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.StickyKey;
import dev.bffgateway.core.routing.Strangler;
import dev.bffgateway.core.routing.Strangler.UnservedException;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Serves a request that matched a strangler route through Gateway Server MVC: the {@link Strangler} picks the
 * side, guards it with its breaker and falls back to legacy when the new side cannot answer (its rules are the
 * dependency clients' too); this names the side that answered in {@value #SIDE_HEADER}, shapes JSON answers for
 * the client when the BFF has a {@link RouteShaper}, and turns a request no side served into a problem: {@code 503}
 * while legacy's breaker is open, {@code 502} when a side failed, and the client's own failures as theirs
 * ({@code 413}, {@code 400}, or {@code 503} when the BFF had no free connection).
 */
final class StranglerHandler implements HandlerFunction<ServerResponse> {

	private static final Logger logger = LoggerFactory.getLogger(StranglerHandler.class);

	static final String ROUTE_ATTRIBUTE = StranglerHandler.class.getName() + ".route";

	static final String SIDE_HEADER = "X-Strangler-Side";

	static final String FORCE_HEADER = "X-Strangler-Force";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> REPLAYABLE = Set.of("GET", "HEAD", "OPTIONS", "DELETE", "PUT");

	private final RouteTables tables;

	private final Strangler strangler;

	private final HandlerFunction<ServerResponse> proxy;

	private final boolean forceEnabled;

	private final @Nullable RouteShaper shaper;

	private final RouteRetries retries;

	private final @Nullable CriticalWrites critical;

	private final @Nullable ShadowRuns shadows;

	StranglerHandler(RouteTables tables, Strangler strangler, HandlerFunction<ServerResponse> proxy,
			boolean forceEnabled, @Nullable RouteShaper shaper, RouteRetries retries, @Nullable CriticalWrites critical,
			@Nullable ShadowRuns shadows) {
		this.critical = critical;
		this.shadows = shadows;
		this.tables = tables;
		this.strangler = strangler;
		this.proxy = proxy;
		this.forceEnabled = forceEnabled;
		this.shaper = shaper;
		this.retries = retries;
	}

	/**
	 * Matches requests a route of the current table takes, and pins that route to the request. The BFF's own
	 * paths are never a route's, even under a catch-all. The path is the request's as received: the security
	 * boundary has already refused every path that is not in normal form, so it is the normalised path too.
	 */
	RequestPredicate predicate() {
		return (request) -> {
			String path = request.requestPath().pathWithinApplication().value();
			Optional<Route> route = this.tables.current().match(request.method().name(), path);
			route.ifPresent((r) -> request.attributes().put(ROUTE_ATTRIBUTE, r));
			return route.isPresent();
		};
	}

	@Override
	public ServerResponse handle(ServerRequest request) throws Exception {
		Route route = (Route) request.attribute(ROUTE_ATTRIBUTE)
			.orElseThrow(() -> new IllegalStateException("strangler handler without a matched route"));
		if (!parametersReadable(request)) {
			return ServerResponse.badRequest()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The query could not be parsed."));
		}
		CriticalWrites critical = this.critical;
		if (critical != null && route.stores(request.method().name())) {
			return critical(route, request, critical);
		}
		Strangler.Served<ServerResponse> served;
		boolean replayable = replayable(request);
		try {
			served = this.strangler.serve(route, stickyKey(route.sticky(), request), forced(request), replayable,
					(response) -> response.statusCode().is5xxServerError(),
					(side, base) -> replayable
							? this.retries.call(route, side, () -> proxy(request, base), (replaced) -> discard(replaced, request))
							: proxy(request, base));
		}
		catch (UnservedException failed) {
			return unserved(route, failed);
		}
		ServerResponse answer = answer(route, request, served);
		ShadowRuns shadows = this.shadows;
		if (shadows != null && route.shadow() != null && replayable) {
			return shadows.around(route, served.side(), request, answer);
		}
		return answer;
	}

	/**
	 * A critical write: admitted (its key checked, its body held), sent once, and stored when no side could take
	 * it: its breaker was open, it failed before any answer (so nothing was applied), or it answered {@code 503}.
	 * Any other failure (a read timeout: the backend may have applied it) is the client's to see, as on any route.
	 */
	private ServerResponse critical(Route route, ServerRequest original, CriticalWrites critical) throws Exception {
		String sticky = stickyKey(route.sticky(), original);
		CriticalWrites.Admission admission = critical.admit(route, original, sticky);
		if (admission instanceof CriticalWrites.Answered answered) {
			return answered.response();
		}
		CriticalWrites.Admitted admitted = (CriticalWrites.Admitted) admission;
		ServerRequest request = admitted.request();
		Strangler.Served<ServerResponse> served;
		try {
			served = this.strangler.serve(route, sticky, forced(request), false,
					(response) -> response.statusCode().is5xxServerError(), (side, base) -> proxy(request, base));
		}
		catch (UnservedException failed) {
			boolean unanswered = failed.failure() == Strangler.Failure.BREAKER_OPEN
					|| (failed.failure() == Strangler.Failure.FAILED && failed.getCause() != null
							&& BudgetedRetry.noAnswer(failed.getCause()));
			return unanswered ? critical.store(route, admitted.pending()) : unserved(route, failed);
		}
		if (served.answer().statusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			discard(served.answer(), request);
			return critical.store(route, admitted.pending());
		}
		return answer(route, request, served);
	}

	private ServerResponse answer(Route route, ServerRequest request, Strangler.Served<ServerResponse> served) {
		ServerResponse response = served.answer();
		response.headers().set(SIDE_HEADER, served.side().value());
		RouteShaper shaper = this.shaper;
		if (shaper == null || route.shape() == Route.Shape.PASSTHROUGH) {
			return response;
		}
		return shaped(route, served.side(), response, request, shaper);
	}

	/**
	 * Claims the body as a stream, then reads the parameters once: Gateway MVC reads them to rebuild the query
	 * ({@link FaithfulProxyExchange} then sends the one received instead), and with the stream claimed first the
	 * container never parses a form body, so the backend gets its bytes. A query the container cannot parse (Tomcat
	 * refuses a pair with an empty name, {@code ?=x}) is the client's error, not a side's failure.
	 */
	private static boolean parametersReadable(ServerRequest request) throws IOException {
		request.servletRequest().getInputStream();
		try {
			request.servletRequest().getParameterMap();
			return true;
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			return false;
		}
	}

	private @Nullable Side forced(ServerRequest request) {
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
		return null;
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

	/**
	 * @return whether the request is safe to send again: an idempotent method without a body. The body's length is
	 * the servlet request's, which on Lambda is the event body's own (an HTTP API event need not carry a
	 * {@code Content-Length} header); a chunked body has none, and counts as a body.
	 */
	private static boolean replayable(ServerRequest request) {
		boolean body = request.servletRequest().getContentLengthLong() > 0
				|| request.headers().asHttpHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING);
		return REPLAYABLE.contains(request.method().name()) && !body;
	}

	/** Proxies to one side's base URI: its path, if any, prefixes the request's. */
	private ServerResponse proxy(ServerRequest request, URI base) throws Exception {
		ServerRequest target = request;
		if (base.getRawPath() != null && !base.getRawPath().isEmpty() && !base.getRawPath().equals("/")) {
			target = BeforeFilterFunctions.prefixPath(base.getRawPath()).apply(request);
		}
		MvcUtils.setRequestUrl(target, base);
		return this.proxy.handle(target);
	}

	/** Lets go of an answer a retry replaces: read to its end into nothing, so its connection is free again. */
	private static void discard(ServerResponse replaced, ServerRequest request) {
		try {
			Discarded.write(replaced, request.servletRequest(), request.messageConverters());
		}
		catch (Exception ex) {
			// the connection is closed instead of pooled: nothing the client sees
			logger.debug("A replaced answer could not be read to its end", ex);
		}
	}

	private ServerResponse unserved(Route route, UnservedException failed) {
		Side side = failed.side();
		Throwable cause = failed.getCause();
		return switch (failed.failure()) {
			case BREAKER_OPEN -> problem(HttpStatus.SERVICE_UNAVAILABLE, route, side, cause);
			case FAILED -> problem(HttpStatus.BAD_GATEWAY, route, side, cause);
			case NOT_THE_BACKENDS_FAULT -> clientSide(route, side, cause);
		};
	}

	/** The client, or the BFF's own pool, failed the call: never the backend's fault, so never a breaker's. */
	private ServerResponse clientSide(Route route, Side side, @Nullable Throwable failure) {
		ClientBodyException body = clientBody(failure);
		HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
		String detail = "The BFF has no free connection to the " + side.value() + " system; try again.";
		if (body != null && body.reason() == ClientBodyException.Reason.TOO_LARGE) {
			status = HttpStatus.CONTENT_TOO_LARGE;
			detail = body.getMessage();
		}
		else if (body != null) {
			status = HttpStatus.BAD_REQUEST;
			detail = "The request body could not be read to its end.";
		}
		logger.debug("Route '{}': {} side not called to the end, client-side: {}", route.id(), side.value(),
				(failure != null) ? failure.getClass().getSimpleName() : null);
		ServerResponse.BodyBuilder response = ServerResponse.status(status)
			.header(SIDE_HEADER, side.value())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header(HttpHeaders.RETRY_AFTER, "1");
		}
		return response.body(ProblemDetail.forStatusAndDetail(status, detail));
	}

	private static @Nullable ClientBodyException clientBody(@Nullable Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ClientBodyException body) {
				return body;
			}
		}
		return null;
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
				this.strangler.count(route, side, "unshapeable");
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

	private ServerResponse problem(HttpStatus status, Route route, Side side, @Nullable Throwable failure) {
		// per request, so debug, and never the message: it can hold the URL, and with it a user's id
		logger.debug("Route '{}': {} side failed", route.id(), side.value(), failure);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				"The " + side.value() + " system behind this route could not answer.");
		return ServerResponse.status(status)
			.header(SIDE_HEADER, side.value())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
