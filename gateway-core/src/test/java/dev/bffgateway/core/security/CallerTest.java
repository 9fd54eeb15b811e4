package dev.bffgateway.core.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import brave.Tracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How a request's {@link Caller} is made: from the verified token, the partner a {@link ClientFilter} admitted
 * the request as, and the tracer's current trace; never from what the client sends about itself.
 */
class CallerTest {

	private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

	/**
	 * Headers a client could send to pass for a partner or to name a trace. The Caller reads none of them; a
	 * {@code traceparent} reaches it only as the tracer's current trace, if the tracer's propagation joins it.
	 */
	private static final String[][] CLAIMS = { { "X-Partner-Id", "acme" }, { "X-Partner", "acme" },
			{ "X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736" },
			{ "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
			{ "b3", "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1" } };

	private final List<Caller> seenByPolicies = new ArrayList<>();

	private final Access access = new Access(null, Set.of("bff"), Set.of(), Set.of("dashboard:read"),
			List.of((caller, request) -> {
				this.seenByPolicies.add(caller);
				return null;
			}), () -> TRACE);

	private final JwtAuthenticationToken token = token("42", "acme-portal");

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void theCallerComesFromTheTokenTheAdmittedPartnerAndTheTracer() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");

		new Admissions(this::authorizeAndPin).proceedAs("acme", request, new MockHttpServletResponse());

		Caller caller = Caller.of(request).orElseThrow();
		assertThat(caller).isEqualTo(new Caller("42", "acme-portal", Set.of("dashboard:read"), "acme", TRACE));
		assertThat(this.seenByPolicies).as("policies check the very value that is pinned").singleElement().isSameAs(caller);
		assertThat(ClientFilter.partner(request)).contains("acme");
	}

	@Test
	void whatAClientSendsAboutItselfNeverReachesTheCaller() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");
		for (String[] claim : CLAIMS) {
			request.addHeader(claim[0], claim[1]);
		}
		request.setParameter("partner", "acme");

		new Admissions(this::authorizeAndPin).proceed(request, new MockHttpServletResponse());

		assertThat(Caller.of(request)).hasValue(new Caller("42", "acme-portal", Set.of("dashboard:read"), null, TRACE));
		assertThat(ClientFilter.partner(request)).isEmpty();
	}

	@Test
	void aRequestIsAdmittedAsOnePartnerAtMost() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");
		new Admissions((req, res) -> {
		}).proceedAs("acme", request, new MockHttpServletResponse());

		assertThatIllegalStateException()
			.isThrownBy(() -> new Admissions((req, res) -> {
			}).proceedAs("tiny", request, new MockHttpServletResponse()))
			.withMessage("The request was already admitted as partner 'acme', not 'tiny'");
		assertThat(ClientFilter.partner(request)).contains("acme");
	}

	@Test
	void aRefusedCallerIsNeverPinned() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");
		Access strict = new Access(null, Set.of("bff"), Set.of(), Set.of("dashboard:read"),
				List.of((caller, req) -> "No partner key came with this request."), () -> TRACE);

		AuthorizationResult result = strict.dashboard().authorize(() -> this.token, new RequestAuthorizationContext(request));
		pin(request);

		assertThat(result.isGranted()).isFalse();
		assertThat(((Access.Refusal) result).reason()).isEqualTo("No partner key came with this request.");
		assertThat(Caller.of(request)).isEmpty();
	}

	@Test
	void theTraceIdIsTheTracersCurrentOne() {
		Tracing tracing = Tracing.newBuilder().traceId128Bit(true).build(); // as Boot configures Brave
		try {
			Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
					new BraveBaggageManager());
			Supplier<@Nullable String> traceIds = GatewaySecurityAutoConfiguration.traceIds(tracer);
			assertThat(traceIds.get()).as("outside a span").isNull();
			Span span = tracer.nextSpan().start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				assertThat(traceIds.get()).isEqualTo(span.context().traceId()).hasSize(32);
			}
			finally {
				span.end();
			}
		}
		finally {
			tracing.close();
		}
		assertThat(GatewaySecurityAutoConfiguration.traceIds(Tracer.NOOP).get()).as("tracing off").isNull();
		assertThat(GatewaySecurityAutoConfiguration.traceIds(null).get()).as("no tracer").isNull();
	}

	/** Authorization, then the caller filter, as the security chain runs them after the client filters. */
	private void authorizeAndPin(ServletRequest request, ServletResponse response)
			throws IOException, ServletException {
		HttpServletRequest http = (HttpServletRequest) request;
		assertThat(this.access.dashboard().authorize(() -> this.token, new RequestAuthorizationContext(http)).isGranted())
			.isTrue();
		pin(http);
	}

	private void pin(HttpServletRequest request) throws IOException, ServletException {
		SecurityContextHolder.getContext().setAuthentication(this.token);
		FilterChain end = (req, res) -> {
		};
		new CallerFilter("X-User-Id").doFilter(request, new MockHttpServletResponse(), end);
	}

	private static JwtAuthenticationToken token(String user, String client) {
		Jwt jwt = Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.subject(user)
			.audience(List.of("bff"))
			.claim("azp", client)
			.claim("scope", "dashboard:read")
			.build();
		return new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("SCOPE_dashboard:read")), user);
	}

}
