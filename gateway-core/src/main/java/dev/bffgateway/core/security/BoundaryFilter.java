package dev.bffgateway.core.security;

import dev.bffgateway.core.problem.Problems;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dev.bffgateway.core.routing.ClientBodyException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing a request meets, on both edges: size limits, then a view of the request without what a client
 * may not decide.
 * <ul>
 * <li>URI, headers or a declared body beyond {@link GatewaySecurityProperties.Limits} → {@code 414}, {@code 431},
 * {@code 413} problem, before anything is read or forwarded; a body without a length that grows past the limit
 * fails its read with {@link ClientBodyException} ({@code TOO_LARGE}).</li>
 * <li>A read of the body that fails on the client's side (abort, reset) becomes {@link ClientBodyException}
 * ({@code ABORTED}), so the proxy never blames the backend for it.</li>
 * <li>Hidden from everything after: the identity headers only the BFF sets ({@code X-User-Id},
 * {@code X-Partner-Id}, ...); {@code Forwarded} and {@code X-Forwarded-*} unless the peer is a configured proxy;
 * {@code Connection}, {@code Proxy-Connection} and every header they name (RFC 9110 §7.6.1).</li>
 * </ul>
 */
final class BoundaryFilter extends OncePerRequestFilter {

	/** Framing headers a client cannot have hidden by naming them in {@code Connection}. */
	private static final Set<String> FRAMING = Set.of("host", "content-length", "transfer-encoding", "content-type");

	private final long maxHeaderBytes;

	private final long maxUriLength;

	private final long maxBodyBytes;

	private final Set<String> ownHeaders;

	private final List<IpAddressMatcher> trustedProxies;

	private final boolean edgeAuthorizer;

	private final boolean lambda;

	/**
	 * @param properties the limits, the BFF's own headers and the trusted proxies
	 * @param lambda whether this is the Lambda edge
	 * @param edgeAuthorizer whether the Lambda edge's authorizer claims ({@link EdgeAuthorizer#HEADER}) are taken;
	 * the header is hidden either way
	 */
	BoundaryFilter(GatewaySecurityProperties properties, boolean lambda, boolean edgeAuthorizer) {
		this.lambda = lambda;
		this.maxHeaderBytes = properties.limits().headerSize().toBytes();
		this.maxUriLength = properties.limits().uriLength().toBytes();
		this.maxBodyBytes = properties.limits().bodySize().toBytes();
		Set<String> own = new HashSet<>(properties.ownHeaders());
		own.add(EdgeAuthorizer.HEADER);
		this.ownHeaders = Set.copyOf(own);
		this.edgeAuthorizer = edgeAuthorizer;
		this.trustedProxies = properties.trustedProxies().stream().map(String::trim).map(IpAddressMatcher::new).toList();
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long uriLength = request.getRequestURI().length() + queryLength(request);
		if (uriLength > this.maxUriLength) {
			Problems.write(response, HttpStatus.URI_TOO_LONG,
					"The request URI is longer than " + this.maxUriLength + " characters.");
			return;
		}
		if (headerBytes(request) > this.maxHeaderBytes) {
			Problems.write(response, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
					"The request headers are larger than " + this.maxHeaderBytes + " bytes.");
			return;
		}
		if (request.getContentLengthLong() > this.maxBodyBytes) {
			Problems.write(response, HttpStatus.CONTENT_TOO_LARGE,
					"The request body is larger than " + this.maxBodyBytes + " bytes.");
			return;
		}
		if (this.edgeAuthorizer && request.getHeader(EdgeAuthorizer.HEADER) != null) {
			request.setAttribute(EdgeAuthorizer.ATTRIBUTE, request.getHeader(EdgeAuthorizer.HEADER));
		}
		Set<String> hidden = hidden(request);
		if (hidden.isEmpty() && !hasBody(request)) {
			chain.doFilter(request, response); // nothing to hide, nothing to read: no wrapper on the hot path
			return;
		}
		chain.doFilter(new BoundedRequest(request, hidden, this.maxBodyBytes), response);
	}

	/**
	 * The query's length. The Lambda adapter keeps no query string, only the parameters it parsed from the event,
	 * so there the query is measured from them (a form body is never parsed: events carry no servlet forms).
	 */
	private long queryLength(HttpServletRequest request) {
		String query = request.getQueryString();
		if (query != null) {
			return query.length() + 1;
		}
		if (!this.lambda) {
			return 0;
		}
		long length = 0;
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			for (String value : parameter.getValue()) {
				length += parameter.getKey().length() + value.length() + 2;
			}
		}
		return length;
	}

	private static long headerBytes(HttpServletRequest request) {
		long bytes = 0;
		for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
			String name = names.nextElement();
			for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements();) {
				bytes += name.length() + values.nextElement().length() + 4; // ": " and CRLF
			}
		}
		return bytes;
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
	}

	/** @return the names of the headers present that nothing after this filter may see (case-insensitive) */
	private Set<String> hidden(HttpServletRequest request) {
		Set<String> hidden = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		Boolean trustedPeer = null;
		for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
			String given = names.nextElement();
			// X_User_Id is X-User-Id to a CGI-style backend (PHP, Rack, WSGI all read HTTP_X_USER_ID)
			String name = given.toLowerCase(Locale.ROOT).replace('_', '-');
			if (this.ownHeaders.contains(name)) {
				hidden.add(given);
				continue;
			}
			boolean forwarded = name.equals("forwarded") || name.startsWith("x-forwarded-") || name.equals("x-real-ip");
			if (forwarded && trustedPeer == null) {
				trustedPeer = trusted(request.getRemoteAddr());
			}
			if (forwarded && !trustedPeer) {
				hidden.add(given);
			}
			if (name.equals("connection") || name.equals("proxy-connection")) {
				hidden.add(given);
				for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements();) {
					for (String token : values.nextElement().split(",")) {
						String listed = token.trim().toLowerCase(Locale.ROOT);
						if (!listed.isEmpty() && !FRAMING.contains(listed)) {
							hidden.add(listed);
						}
					}
				}
			}
		}
		return hidden;
	}

	private boolean trusted(@Nullable String address) {
		if (address == null || this.trustedProxies.isEmpty()) {
			return false;
		}
		for (IpAddressMatcher proxy : this.trustedProxies) {
			try {
				if (proxy.matches(address)) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				// an address of the other family (IPv4 vs IPv6): not this proxy
			}
		}
		return false;
	}

	/** The request without the hidden headers, with a body that stops at the limit. */
	private static final class BoundedRequest extends HttpServletRequestWrapper {

		private final Set<String> hidden;

		private final long maxBodyBytes;

		private @Nullable ServletInputStream body;

		BoundedRequest(HttpServletRequest request, Set<String> hidden, long maxBodyBytes) {
			super(request);
			this.hidden = hidden;
			this.maxBodyBytes = maxBodyBytes;
		}

		private boolean isHidden(String name) {
			return !this.hidden.isEmpty() && this.hidden.contains(name); // a case-insensitive set
		}

		@Override
		public @Nullable String getHeader(String name) {
			return isHidden(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>();
			for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements();) {
				String name = all.nextElement();
				if (!isHidden(name)) {
					names.add(name);
				}
			}
			return Collections.enumeration(names);
		}

		@Override
		public long getDateHeader(String name) {
			return isHidden(name) ? -1 : super.getDateHeader(name);
		}

		@Override
		public int getIntHeader(String name) {
			return isHidden(name) ? -1 : super.getIntHeader(name);
		}

		@Override
		public synchronized ServletInputStream getInputStream() throws IOException {
			if (this.body == null) {
				this.body = new BoundedBody(super.getInputStream(), this.maxBodyBytes);
			}
			return this.body;
		}

	}

	/** Counts what is read; a client-side failure or too much becomes a {@link ClientBodyException}. */
	private static final class BoundedBody extends ServletInputStream {

		private final ServletInputStream in;

		private final long max;

		private long read;

		BoundedBody(ServletInputStream in, long max) {
			this.in = in;
			this.max = max;
		}

		@Override
		public int read() throws IOException {
			int b;
			try {
				b = this.in.read();
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n;
			try {
				n = this.in.read(buffer, offset, length);
			}
			catch (IOException ex) {
				throw aborted(ex);
			}
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws ClientBodyException {
			this.read += n;
			if (this.read > this.max) {
				throw new ClientBodyException(ClientBodyException.Reason.TOO_LARGE,
						"The request body is larger than " + this.max + " bytes.", null);
			}
		}

		private static ClientBodyException aborted(IOException ex) {
			return (ex instanceof ClientBodyException known) ? known
					: new ClientBodyException(ClientBodyException.Reason.ABORTED, "The client stopped sending its body.", ex);
		}

		@Override
		public int available() throws IOException {
			return this.in.available();
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

}
