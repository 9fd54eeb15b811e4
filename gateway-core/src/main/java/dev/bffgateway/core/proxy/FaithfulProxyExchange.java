package dev.bffgateway.core.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Gateway MVC's exchange, given back what its handler rebuilt on the way, so a backend receives the request as the
 * client sent it (as through nginx's {@code proxy_pass}):
 * <ul>
 * <li>the query exactly as received: the handler re-encodes it from the parsed parameters (reordered, {@code %7e}
 * made {@code ~}, sub-delimiters escaped, and on the container a form body's fields added to it);</li>
 * <li>{@code Content-Type} exactly as received: the servlet view of the headers adds the request's character
 * encoding, which Boot's filter forces to UTF-8, so {@code application/octet-stream} became
 * {@code application/octet-stream;charset=UTF-8};</li>
 * <li>no {@code Expect}: the BFF's server has already answered {@code 100 Continue} to the client, whose body is on
 * its way; nginx drops it too.</li>
 * </ul>
 * The body goes through the delegate as a stream, framed as the client framed it: with its {@code Content-Length}
 * (Gateway MVC's filter that removes it is off in gateway-defaults.properties), else chunked.
 */
final class FaithfulProxyExchange implements ProxyExchange {

	private final ProxyExchange delegate;

	FaithfulProxyExchange(ProxyExchange delegate) {
		this.delegate = delegate;
	}

	@Override
	public ServerResponse exchange(Request request) {
		HttpServletRequest servlet = request.getServerRequest().servletRequest();
		HttpHeaders headers = asReceived(request.getHeaders(), servlet);
		RequestBuilder faithful = this.delegate.request(request.getServerRequest())
			.method(request.getMethod())
			.uri(withQueryAsReceived(request.getUri(), servlet.getQueryString()))
			.headers(headers);
		request.getResponseConsumers().forEach(faithful::responseConsumer);
		return this.delegate.exchange(faithful.build());
	}

	/**
	 * The headers Gateway MVC's filters kept, in the order the client sent them (the servlet view of the headers
	 * moves {@code Content-Type} last), with {@code Content-Type} as received and {@code Content-Length} only if
	 * the client sent one; those the filters added ({@code Forwarded}, {@code X-Forwarded-*}) follow.
	 */
	private static HttpHeaders asReceived(HttpHeaders filtered, HttpServletRequest servlet) {
		HttpHeaders headers = new HttpHeaders();
		for (String name : Collections.list(servlet.getHeaderNames())) {
			if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
				headers.put(name, Collections.list(servlet.getHeaders(name)));
			}
			else if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
				// the client's on the container; on Lambda the body's own length (an event's header can be stale)
				long length = servlet.getContentLengthLong();
				if (length >= 0) {
					headers.put(name, List.of(Long.toString(length)));
				}
			}
			else if (filtered.containsHeader(name)) {
				headers.put(name, filtered.get(name));
			}
		}
		filtered.forEach((name, values) -> {
			// framing is the client's only: Spring's view of the request adds a Content-Length of its own
			if (!headers.containsHeader(name) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)
					&& !name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
				headers.put(name, values);
			}
		});
		headers.remove(HttpHeaders.EXPECT);
		return headers;
	}

	@Override
	public RequestBuilder request(ServerRequest serverRequest) {
		return this.delegate.request(serverRequest);
	}

	/**
	 * @param uri the URI Gateway MVC built: the backend's scheme, host and port, the request's raw path
	 * @param query the query as received, or null where the edge keeps none (the Lambda adapter keeps only the
	 * parsed parameters: there the rebuilt query stands)
	 */
	static URI withQueryAsReceived(@Nullable URI uri, @Nullable String query) {
		Objects.requireNonNull(uri, "Gateway MVC resolved no URI");
		if (query == null) {
			return uri;
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		try {
			return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + path + "?" + query);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("The query is not a valid URI query: " + ex.getMessage(), ex);
		}
	}

}
