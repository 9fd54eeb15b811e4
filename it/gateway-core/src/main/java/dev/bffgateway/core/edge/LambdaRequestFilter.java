package dev.bffgateway.core.edge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the Lambda adapter's servlet requests behave like the container's where the proxy depends on it:
 * <ul>
 * <li>the client address API Gateway saw: the adapter's request does not support {@code getRemoteHost()} and
 * friends, which the proxy's {@code Forwarded}/{@code X-Forwarded-For} filters call; {@link LambdaEdgeHandler}
 * passes the event's {@code sourceIp} in a header of its own (any client-sent header of that name is
 * overwritten), which this filter turns into the remote address and hides;</li>
 * <li>an empty body reads as finished: the adapter's input stream never reports {@code isFinished()}, so the
 * proxy would stream a bodyless GET upstream as a chunked body (and the JDK client can then fail it).</li>
 * </ul>
 * The event's body is in memory already (API Gateway delivers it whole), so reading it eagerly costs nothing.
 */
final class LambdaRequestFilter extends OncePerRequestFilter {

	static final String SOURCE_IP_HEADER = "x-bff-edge-source-ip";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String sourceIp = request.getHeader(SOURCE_IP_HEADER);
		String address = (sourceIp != null && !sourceIp.isBlank()) ? sourceIp : "127.0.0.1";
		chain.doFilter(new HttpServletRequestWrapper(request) {

			@Override
			public String getRemoteAddr() {
				return address;
			}

			@Override
			public String getRemoteHost() {
				return address;
			}

			@Override
			public int getRemotePort() {
				return 0;
			}

			private @Nullable ServletInputStream body;

			@Override
			public synchronized ServletInputStream getInputStream() throws IOException {
				if (this.body == null) {
					ByteArrayInputStream content = new ByteArrayInputStream(super.getInputStream().readAllBytes());
					this.body = new ServletInputStream() {

						@Override
						public boolean isFinished() {
							return content.available() == 0;
						}

						@Override
						public boolean isReady() {
							return true;
						}

						@Override
						public void setReadListener(ReadListener listener) {
							throw new UnsupportedOperationException("no async reads on the Lambda edge");
						}

						@Override
						public int read() {
							return content.read();
						}

						@Override
						public int read(byte[] buffer, int offset, int length) {
							return content.read(buffer, offset, length);
						}

						@Override
						public int available() {
							return content.available();
						}

					};
				}
				return this.body;
			}

			@Override
			public String getHeader(String name) {
				return SOURCE_IP_HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
			}

			@Override
			public Enumeration<String> getHeaders(String name) {
				return SOURCE_IP_HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
			}

			@Override
			public Enumeration<String> getHeaderNames() {
				return Collections.enumeration(Collections.list(super.getHeaderNames())
					.stream()
					.filter((header) -> !SOURCE_IP_HEADER.equalsIgnoreCase(header))
					.toList());
			}

		}, response);
	}

}
