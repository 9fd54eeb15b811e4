package dev.bffgateway.core.security;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.bffgateway.core.routing.ClientBodyException;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundaryFilterTest {

	private static GatewaySecurityProperties properties(List<String> trustedProxies) {
		return new GatewaySecurityProperties(
				new GatewaySecurityProperties.Jwt("https://idp", List.of("bff"), null, null, List.of("RS256"),
						java.time.Duration.ofSeconds(30), "sub", List.of(), false, 2048),
				"X-User-Id", List.of("X-Partner-Id"), List.of(), trustedProxies,
				new GatewaySecurityProperties.Limits(DataSize.ofBytes(300), DataSize.ofBytes(40), DataSize.ofBytes(10)));
	}

	private final AtomicReference<HttpServletRequest> passed = new AtomicReference<>();

	private MockHttpServletResponse filter(List<String> trustedProxies, MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new BoundaryFilter(properties(trustedProxies), false, false).doFilter(request, response,
				(req, res) -> this.passed.set((HttpServletRequest) req));
		return response;
	}

	@Test
	void identityForwardedAndConnectionListedHeadersAreHiddenFromAnUntrustedPeer() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
		request.setRemoteAddr("203.0.113.9");
		request.addHeader("X-User-Id", "43");
		request.addHeader("x-partner-id", "acme");
		request.addHeader("X-Forwarded-Host", "evil.example");
		request.addHeader("Forwarded", "for=6.6.6.6");
		request.addHeader("Connection", "X-Secret, close");
		request.addHeader("X-Secret", "1");
		request.addHeader("X-Kept", "yes");

		assertThat(filter(List.of("10.0.0.0/8"), request).getStatus()).isEqualTo(200);

		HttpServletRequest seen = this.passed.get();
		assertThat(Collections.list(seen.getHeaderNames())).containsExactly("X-Kept");
		assertThat(seen.getHeader("X-USER-ID")).isNull();
		assertThat(seen.getHeaders("x-forwarded-host").hasMoreElements()).isFalse();
	}

	@Test
	void aTrustedPeerKeepsItsForwardedHeadersButNeverTheIdentityOnes() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
		request.setRemoteAddr("10.1.2.3");
		request.addHeader("X-Forwarded-For", "203.0.113.9");
		request.addHeader("X-User-Id", "43");

		filter(List.of("10.0.0.0/8", "::1"), request);

		assertThat(this.passed.get().getHeader("X-Forwarded-For")).isEqualTo("203.0.113.9");
		assertThat(this.passed.get().getHeader("X-User-Id")).isNull();
	}

	@Test
	void oversizeUriHeadersAndDeclaredBodyAreRefusedBeforeAnythingElse() throws Exception {
		MockHttpServletRequest uri = new MockHttpServletRequest("GET", "/orders/1");
		uri.setQueryString("q=" + "a".repeat(40));
		MockHttpServletResponse longUri = filter(List.of(), uri);
		assertThat(longUri.getStatus()).isEqualTo(414);
		assertThat(longUri.getContentType()).isEqualTo("application/problem+json");

		MockHttpServletRequest headers = new MockHttpServletRequest("GET", "/orders/1");
		headers.addHeader("X-Big", "a".repeat(300));
		assertThat(filter(List.of(), headers).getStatus()).isEqualTo(431);

		MockHttpServletRequest body = new MockHttpServletRequest("POST", "/orders/1");
		body.setContent(new byte[11]);
		assertThat(filter(List.of(), body).getStatus()).isEqualTo(413);
		assertThat(this.passed.get()).isNull();
	}

	@Test
	void aBodyWithoutALengthStopsAtTheLimitWhileItIsRead() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders/1") {
			@Override
			public long getContentLengthLong() {
				return -1; // chunked
			}
		};
		request.addHeader("Transfer-Encoding", "chunked");
		request.setContent(new byte[11]);
		filter(List.of(), request);

		assertThatExceptionOfType(ClientBodyException.class)
			.isThrownBy(() -> this.passed.get().getInputStream().readAllBytes())
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(ClientBodyException.Reason.TOO_LARGE));
	}

	@Test
	void aClientSideReadFailureIsTheClientsNotTheBackends() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders/1") {
			@Override
			public jakarta.servlet.ServletInputStream getInputStream() {
				return new org.springframework.mock.web.DelegatingServletInputStream(new java.io.InputStream() {
					@Override
					public int read() throws IOException {
						throw new IOException("Connection reset by peer");
					}
				});
			}
		};
		request.addHeader("Transfer-Encoding", "chunked");
		filter(List.of(), request);

		assertThatExceptionOfType(ClientBodyException.class).isThrownBy(() -> this.passed.get().getInputStream().read())
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(ClientBodyException.Reason.ABORTED));
	}

	@Test
	void aRequestWithNothingToHideAndNoBodyIsPassedAsItIs() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
		request.addHeader("Accept", "application/json");

		filter(List.of(), request);

		assertThat(this.passed.get()).isSameAs(request);
	}

	@Test
	void identityHeadersWrittenWithUnderscoresAreHiddenToo() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
		request.addHeader("X_User_Id", "43");
		request.addHeader("x_forwarded_for", "6.6.6.6");

		filter(List.of(), request);

		assertThat(Collections.list(this.passed.get().getHeaderNames())).isEmpty();
	}

	@Test
	void aTrustedProxyMustBeAnAddress() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> properties(List.of("10.0.0.0/8", "lb.internal")))
			.withMessage("gateway.security.trusted-proxies[1] must be an IP address or CIDR block (e.g. 10.0.0.0/16), "
					+ "but was 'lb.internal'");
	}

}
