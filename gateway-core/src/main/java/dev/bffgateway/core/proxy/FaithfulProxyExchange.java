package dev.bffgateway.core.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;

import dev.bffgateway.core.downstream.OutboundTrace;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.server.mvc.filter.RemoveHopByHopRequestHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayServerResponse;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Gateway MVC's exchange for the strangler: the request its handler and header filters prepared, sent on the
 * proxy's own Apache HttpClient 5 as the client sent it (as through nginx's {@code proxy_pass}), and the answer
 * streamed back.
 *
 * <p>What the backend gets:
 * <ul>
 * <li>the query exactly as received: the handler re-encodes it from the parsed parameters (reordered, {@code %7e}
 * made {@code ~}, sub-delimiters escaped, and on the container a form body's fields added to it);</li>
 * <li>the headers Gateway MVC's filters kept, in the order the client sent them (several {@code Cookie} lines
 * joined into one, RFC 6265), then those the filters added ({@code Forwarded}, {@code X-Forwarded-*}), then the
 * current trace's {@code traceparent};</li>
 * <li>{@code Content-Type} exactly as received: the servlet view of the headers adds the request's character
 * encoding, which Boot's filter forces to UTF-8, so {@code application/octet-stream} became
 * {@code application/octet-stream;charset=UTF-8};</li>
 * <li>no {@code Expect}: the BFF's server has already answered {@code 100 Continue} to the client, whose body is on
 * its way; nginx drops it too;</li>
 * <li>the body as a stream, framed as the client framed it: its {@code Content-Length} (on Lambda the body's own
 * length: an event's header can be stale), else chunked.</li>
 * </ul>
 *
 * <p>Why not Gateway MVC's {@code RestClientProxyExchange} (measured in bench/proxy.sh, docs/benchmarks.md, issue
 * 16): through a {@code RestClient} every proxied request copied its headers into case-insensitive maps three more
 * times, started and stopped a client observation (a span and a timer looked up by tags), and copied the answer
 * through a fresh 16 KiB buffer. Here the headers are written once into Apache's request, the trace is propagated
 * from the server's own span, and the answer is copied through a buffer sized to it (or a pooled one). Proxied
 * calls are timed by the strangler's own meters, not {@code http.client.requests}.
 */
final class FaithfulProxyExchange implements ProxyExchange {

	/** Copy buffers for answers of unknown or large length, kept for reuse (virtual threads make thread-locals moot). */
	private static final int BUFFER_SIZE = 16 * 1024;

	/**
	 * Gateway MVC's hop-by-hop headers, matched without regard to case, taken out here in the one pass over the
	 * headers rather than by its request and response filters (off in gateway-defaults.properties: each copied
	 * every header into a new case-insensitive map, about 5 % of the proxy's CPU).
	 */
	private static final Set<String> HOP_BY_HOP = hopByHop();

	private final ArrayBlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(64);

	private final CloseableHttpClient client;

	private final List<MediaType> streamingMediaTypes;

	private final OutboundTrace trace;

	FaithfulProxyExchange(CloseableHttpClient client, List<MediaType> streamingMediaTypes, OutboundTrace trace) {
		this.client = client;
		this.streamingMediaTypes = streamingMediaTypes;
		this.trace = trace;
	}

	@Override
	public ServerResponse exchange(Request request) {
		HttpServletRequest servlet = request.getServerRequest().servletRequest();
		URI uri = withQueryAsReceived(request.getUri(), servlet.getQueryString());
		HttpUriRequestBase outbound = new HttpUriRequestBase(request.getMethod().name(), uri);
		writeHeaders(request.getHeaders(), servlet, outbound);
		this.trace.inject(outbound);
		try {
			ServletInputStream body = servlet.getInputStream();
			if (!body.isFinished()) {
				// no content type on the entity: the client's is among the headers already, as received
				outbound.setEntity(new InputStreamEntity(body, servlet.getContentLengthLong(), null));
			}
			ClassicHttpResponse response = this.client.executeOpen(HttpHost.create(uri), outbound, null);
			return answer(request, response);
		}
		catch (IOException ex) {
			// as Spring's clients report it; the cause is what the strangler and retries classify
			throw new ResourceAccessException("I/O error on " + outbound.getMethod() + " request: " + ex.getMessage(), ex);
		}
	}

	/**
	 * One pass over the client's header names (the servlet view keeps the client's order, but moves
	 * {@code Content-Type} last), writing what Gateway MVC's filters kept; then what they added. Framing is the
	 * entity's (Apache writes {@code Content-Length} or chunks from it), {@code Host} the target's.
	 */
	private static void writeHeaders(HttpHeaders filtered, HttpServletRequest servlet, HttpUriRequestBase outbound) {
		int written = 0;
		for (Enumeration<String> names = servlet.getHeaderNames(); names.hasMoreElements();) {
			String name = names.nextElement();
			if (framing(name) || name.equalsIgnoreCase(HttpHeaders.EXPECT)) {
				continue;
			}
			if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
				for (Enumeration<String> values = servlet.getHeaders(name); values.hasMoreElements();) {
					outbound.addHeader(name, values.nextElement());
				}
				written++;
				continue;
			}
			List<String> values = filtered.get(name);
			if (values != null && name.equalsIgnoreCase(HttpHeaders.COOKIE) && values.size() > 1) {
				outbound.addHeader(name, String.join("; ", values)); // RFC 6265 §5.4: one Cookie header
				written++;
			}
			else if (values != null) {
				for (String value : values) {
					outbound.addHeader(name, value);
				}
				written++;
			}
		}
		if (written < filtered.size()) {
			filtered.forEach((name, values) -> {
				if (!framing(name) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
						&& !name.equalsIgnoreCase(HttpHeaders.EXPECT) && servlet.getHeader(name) == null) {
					for (String value : values) {
						outbound.addHeader(name, value);
					}
				}
			});
		}
	}

	/**
	 * Headers this hop writes itself or that end at it: framing (the entity's), {@code Host} (the target's) and
	 * Gateway MVC's hop-by-hop set ({@code Connection}, {@code Keep-Alive}, {@code TE}, {@code Trailer},
	 * {@code Upgrade}, {@code Proxy-*}, ...). A header the client named in {@code Connection} never gets here: the
	 * boundary hides it.
	 */
	private static boolean framing(String name) {
		return name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) || name.equalsIgnoreCase(HttpHeaders.HOST)
				|| HOP_BY_HOP.contains(name);
	}

	/**
	 * The answer: status now, headers (but hop-by-hop ones) through Gateway MVC's remaining response filters (its
	 * handler's consumers), body streamed when the client's response is written.
	 */
	private ServerResponse answer(Request request, ClassicHttpResponse response) {
		HttpStatusCode status = HttpStatusCode.valueOf(response.getCode());
		ServerResponse answer = GatewayServerResponse.status(status).build((servletRequest, servletResponse) -> {
			copyBody(response, servletResponse.getOutputStream());
			return null;
		});
		HttpHeaders headers = new HttpHeaders();
		for (Header header : response.getHeaders()) {
			if (!HOP_BY_HOP.contains(header.getName())) {
				headers.add(header.getName(), header.getValue());
			}
		}
		Response received = new Received(status, headers);
		request.getResponseConsumers().forEach((consumer) -> consumer.accept(received, answer));
		return answer;
	}

	/** Streams the body to the client and lets go of the connection: back to the pool if read to its end. */
	private void copyBody(ClassicHttpResponse response, OutputStream out) throws IOException {
		try (response) {
			HttpEntity entity = response.getEntity();
			if (entity == null) {
				return;
			}
			long length = entity.getContentLength();
			boolean streaming = streaming(entity.getContentType());
			byte[] buffer = (length >= 0 && length < BUFFER_SIZE) ? new byte[(int) Math.max(length, 1)] : borrow();
			try (InputStream in = entity.getContent()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					if (streaming) {
						out.flush();
					}
				}
			}
			finally {
				if (buffer.length == BUFFER_SIZE) {
					this.buffers.offer(buffer);
				}
			}
		}
	}

	private byte[] borrow() {
		byte[] buffer = this.buffers.poll();
		return (buffer != null) ? buffer : new byte[BUFFER_SIZE];
	}

	/** Answers flushed as they arrive: Gateway MVC's {@code streaming-media-types} (event streams, by default). */
	private boolean streaming(@Nullable String contentType) {
		if (contentType == null || this.streamingMediaTypes.isEmpty()) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return this.streamingMediaTypes.stream().anyMatch(type::equalsTypeAndSubtype);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
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

	private static Set<String> hopByHop() {
		Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		names.addAll(RemoveHopByHopRequestHeadersFilter.HEADERS_REMOVED_ON_REQUEST);
		return Collections.unmodifiableSet(names);
	}

	private record Received(HttpStatusCode getStatusCode, HttpHeaders getHeaders) implements Response {
	}

}
