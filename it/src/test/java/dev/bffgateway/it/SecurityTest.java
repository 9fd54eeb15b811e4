package dev.bffgateway.it;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.bffgateway.core.demo.DemoTokens;
import dev.bffgateway.web.WebBffApplication;
import dev.bffgateway.web.WebBffLambdaHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * web-bff as the trust boundary, on the container edge and on the Lambda edge fed REST (v1) and HTTP API (v2)
 * events: identity only from a verified token, paths only in normal form, nothing a client says about who or
 * where it is believed, operator surfaces off the public port, and clients unable to trip a breaker for others.
 * Every refusal is checked in the backends' journals (WireMock): nothing outside a route was reached.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.security.limits.body-size=2KB", "gateway.routes.poll-interval=0s",
				"resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
				"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4" })
class SecurityTest extends StranglerTestSupport {

	static WebBffLambdaHandler handler;

	@BeforeAll
	static void startLambda() {
		Strangled.write(Strangled.table(30));
		if (handler == null) {
			handler = LambdaEdges.start(WebBffLambdaHandler::new,
					LambdaEdges.routed(Map.of("gateway.security.limits.body-size", "2KB")));
		}
	}

	List<Edge> edges;

	@BeforeEach
	void edges() {
		this.edges = List.of(new ContainerEdge(this.port), new LambdaEdge(handler, LambdaEdge.Format.V1),
				new LambdaEdge(handler, LambdaEdge.Format.V2));
	}

	private static List<LoggedRequest> reached() {
		List<LoggedRequest> all = new java.util.ArrayList<>(Strangled.LEGACY.findAll(anyRequestedFor(anyUrl())));
		all.addAll(Strangled.NEW.findAll(anyRequestedFor(anyUrl())));
		return all;
	}

	// --- identity ---------------------------------------------------------------------------------------------

	@Test
	void aForgedUserIdIsIgnoredOnTheDashboardAndTheProxy() {
		Edge.Response dashboard = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				Tokens.bearer(Downstreams.USER_ID), "X-User-Id", "43"));
		assertThat(dashboard.status()).isEqualTo(200);
		assertThat(dashboard.json().at("/user/id").asString()).isEqualTo(Downstreams.USER_ID);
		for (String dependency : Downstreams.NAMES) {
			assertThat(Downstreams.of(dependency).getAllServeEvents()).allSatisfy((event) -> {
				assertThat(event.getRequest().getUrl()).doesNotContain("43");
				assertThat(event.getRequest().getHeader("X-User-Id")).isEqualTo(Downstreams.USER_ID);
			});
		}

		Edge.Response proxied = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/orders/1", "Authorization",
				Tokens.bearer("alice"), "X-User-Id", "bob", "X-Partner-Id", "acme"));
		assertThat(proxied.status()).isEqualTo(200);
		assertThat(reached()).hasSize(this.edges.size()).allSatisfy((request) -> {
			assertThat(request.getHeader("X-User-Id")).isEqualTo("alice");
			assertThat(request.containsHeader("X-Partner-Id")).isFalse();
			assertThat(request.containsHeader("Authorization")).as("the token is passed on to the route").isTrue();
		});
	}

	@Test
	void aCognitoAccessTokenNamesItsAppClientInClientIdInsteadOfAud() {
		String cognito = "Bearer " + Tokens.ISSUER.token(Downstreams.USER_ID)
			.claim("aud", null)
			.claim("client_id", DemoTokens.AUDIENCE)
			.claim("token_use", "access")
			.sign();

		Edge.Response response = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization", cognito));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().at("/user/id").asString()).isEqualTo(Downstreams.USER_ID);
	}

	@Test
	void aTokenOnAPublicRouteIdentifiesNoOneUnlessItPassesEveryCheck() {
		String otherApi = "Bearer " + Tokens.ISSUER.token("mallory").audience("another-api").sign();

		Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/public/prices", "Authorization", otherApi));

		assertThat(reached()).hasSize(this.edges.size())
			.allSatisfy((request) -> assertThat(request.containsHeader("X-User-Id")).isFalse());
	}

	@Test
	void aPublicRouteTakesAnonymousCallersAndForwardsNoIdentity() {
		Edge.Response response = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/public/prices", "X-User-Id", "bob"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(reached()).hasSize(this.edges.size())
			.allSatisfy((request) -> assertThat(request.containsHeader("X-User-Id")).isFalse());
	}

	static List<Object[]> badTokens() {
		Instant now = Instant.now();
		Function<DemoTokens.Token, String> signed = DemoTokens.Token::sign;
		return List.<Object[]>of(new Object[] { "expired", signed.apply(Tokens.ISSUER.token("42").issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(300))) },
				new Object[] { "not yet valid", signed.apply(Tokens.ISSUER.token("42").notBefore(now.plusSeconds(600))) },
				new Object[] { "no expiry", signed.apply(Tokens.ISSUER.token("42").claim("exp", null)) },
				new Object[] { "signed by a stranger", Tokens.ISSUER.token("42").signByStranger() },
				new Object[] { "alg none", Tokens.ISSUER.token("42").unsigned() },
				new Object[] { "HS256 with the public key", Tokens.ISSUER.token("42").hmacWithPublicKey() },
				new Object[] { "another issuer", signed.apply(Tokens.ISSUER.token("42").issuer("https://evil.example")) },
				new Object[] { "malformed", "not.a.jwt" }, new Object[] { "garbage", "%%%" });
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badTokens")
	void aTokenThatIsNotValidIsUnauthorized(String why, String token) {
		for (String path : List.of("/dashboard", "/orders/1")) {
			Edge.Response response = Parity.sameOnEveryEdge(this.edges,
					Edge.Request.get(path, "Authorization", "Bearer " + token));

			assertThat(response.status()).as(why + " on " + path).isEqualTo(401);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.headers().get("www-authenticate")).startsWith("Bearer error=\"invalid_token\"");
			assertThat(response.body()).doesNotContain(token);
		}
		assertThat(reached()).isEmpty();
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void noTokenIsUnauthorizedWithABareChallenge() {
		for (String path : List.of("/dashboard", "/orders/1", "/no/such/path")) {
			Edge.Response response = Parity.sameOnEveryEdge(this.edges, Edge.Request.get(path, "X-User-Id", "42"));

			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.headers().get("www-authenticate")).isEqualTo("Bearer");
		}
		assertThat(reached()).isEmpty();
	}

	@Test
	void aValidTokenForAnotherAudienceOrWithoutTheScopeIsForbidden() {
		Edge.Response audience = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				"Bearer " + Tokens.ISSUER.token("42").audience("another-api").sign()));
		assertThat(audience.status()).isEqualTo(403);
		assertThat(audience.contentType()).isEqualTo("application/problem+json");
		assertThat(audience.json().get("detail").asString()).contains("audience");

		Edge.Response scope = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				"Bearer " + Tokens.ISSUER.token("42").scope("profile").sign()));
		assertThat(scope.status()).isEqualTo(403);
		assertThat(scope.headers().get("www-authenticate"))
			.isEqualTo("Bearer error=\"insufficient_scope\", scope=\"dashboard:read\"");
		assertThat(audience.headers().get("www-authenticate")).as("not a scope problem").isNull();

		Edge.Response head = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				"Bearer " + Tokens.ISSUER.token("42").scope("profile").sign()).withMethod("HEAD"));
		assertThat(head.status()).as("HEAD needs the scope too").isEqualTo(403);

		Edge.Response idToken = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				"Bearer " + Tokens.ISSUER.token("42").claim("token_use", "id").sign()));
		assertThat(idToken.status()).isEqualTo(403);
		assertThat(idToken.json().get("detail").asString()).contains("ID token");
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	// --- paths ------------------------------------------------------------------------------------------------

	/** Paths that try to leave the {@code /orders} route's prefix, or to smuggle a second meaning past it. */
	static List<String> trickyPaths() {
		return List.of("/orders/../dashboard", "/orders/../public/x", "/orders/%2e%2e/dashboard", "/orders/%2E%2e/x",
				"/orders/.%2e/x", "/orders/%2e./x", "/orders/%252e%252e/x", "/orders/./1", "/orders/%2e/1",
				"/orders;x=1/1", "/orders/1;jsessionid=1", "/orders/..;/admin", "/orders/a%2Fb", "/orders/a%2fb",
				"/orders%2F..%2Fadmin", "/orders/a%5Cb", "/orders/a%5cb", "//orders/1", "/orders//1",
				"/orders/%00", "/public/../orders/1", "/public/%2e%2e/orders/1", "/%61ctuator/health", "/orders/%61",
				"/v3/%61pi-docs/x");
	}

	@ParameterizedTest
	@MethodSource("trickyPaths")
	void aPathNotInNormalFormIsABadRequestAndReachesNoBackend(String path) {
		String token = Tokens.bearer("alice");
		Edge.Response container = RawHttp.send(this.port, "GET", path, "Authorization", token);
		assertThat(container.status()).as("container " + path).isEqualTo(400);
		assertThat(container.contentType()).startsWith("application/problem+json");
		for (Edge edge : this.edges.subList(1, this.edges.size())) {
			Edge.Response response = edge.send(Edge.Request.get(path, "Authorization", token));
			assertThat(response.status()).as(edge.name() + " " + path).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
		}
		assertThat(reached()).isEmpty();
	}

	@Test
	void aRawBackslashIsABadRequest() {
		Edge.Response response = RawHttp.send(this.port, "GET", "/orders/a\\b", "Authorization", Tokens.bearer("alice"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(reached()).isEmpty();
	}

	@Test
	void aNormalPathReachesTheBackendUnchanged() {
		Edge.Response response = RawHttp.send(this.port, "GET", "/orders/a-b_c~1?q=%2F&q=2", "Authorization",
				Tokens.bearer("alice"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(reached()).singleElement().satisfies((request) -> assertThat(request.getUrl()).isEqualTo("/orders/a-b_c~1?q=%2F&q=2"));
	}

	// --- what a client says about where it came from ------------------------------------------------------------

	@Test
	void forwardedHeadersFromAnUntrustedPeerAreDropped() {
		Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/echo/where", "Authorization", Tokens.bearer("alice"),
				"X-Forwarded-Host", "evil.example", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Proto", "gopher",
				"Forwarded", "for=6.6.6.6;host=evil.example", "X-Real-IP", "6.6.6.6"));

		assertThat(reached()).hasSize(this.edges.size()).allSatisfy((request) -> {
			for (String header : List.of("X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto", "Forwarded", "X-Real-IP")) {
				String value = request.containsHeader(header) ? request.getHeader(header) : "";
				assertThat(value).as(header).doesNotContain("evil.example").doesNotContain("6.6.6.6").doesNotContain("gopher");
			}
		});
	}

	@Test
	void headersNamedInConnectionAreNotForwarded() {
		String[] headers = { "Authorization", Tokens.bearer("alice"), "Connection", "X-Hop-Secret, close",
				"Proxy-Connection", "X-Other-Hop", "X-Hop-Secret", "s3cret", "X-Other-Hop", "1", "X-Kept", "yes" };
		// the JDK client will not send Connection itself: the container gets it over a plain socket
		assertThat(RawHttp.send(this.port, "GET", "/echo/hop", headers).status()).isEqualTo(200);
		for (Edge edge : this.edges.subList(1, this.edges.size())) {
			assertThat(edge.send(Edge.Request.get("/echo/hop", headers)).status()).isEqualTo(200);
		}

		assertThat(reached()).hasSize(this.edges.size()).allSatisfy((request) -> {
			assertThat(request.containsHeader("X-Hop-Secret")).isFalse();
			assertThat(request.containsHeader("X-Other-Hop")).isFalse();
			assertThat(request.containsHeader("Proxy-Connection")).isFalse();
			assertThat(request.getHeader("X-Kept")).isEqualTo("yes");
		});
	}

	// --- operator surfaces ----------------------------------------------------------------------------------------

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/strangler", "/actuator/prometheus", "/actuator" })
	void theActuatorIsNotOnThePublicPort(String path) {
		Edge.Response anonymous = new ContainerEdge(this.port).send(Edge.Request.get(path));
		Edge.Response identified = new ContainerEdge(this.port).send(Edge.Request.get(path, "Authorization", Tokens.bearer("alice")));

		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(identified.status()).isEqualTo(404);
		assertThat(identified.body()).doesNotContain(Strangled.LEGACY.baseUrl()).doesNotContain("UP");
		assertThat(new ContainerEdge(this.managementPort).send(Edge.Request.get("/actuator/health")).status()).isEqualTo(200);
	}

	// --- limits ---------------------------------------------------------------------------------------------------

	@Test
	void oversizeHeadersUriAndBodyAreProblemsOnEveryEdge() {
		Edge.Response headers = Parity.sameOnEveryEdge(this.edges, Edge.Request.get("/dashboard", "Authorization",
				Tokens.bearer("42"), "X-Big", "a".repeat(10_000)));
		assertThat(headers.status()).isEqualTo(431);
		assertThat(headers.contentType()).isEqualTo("application/problem+json");

		Edge.Request longUri = new Edge.Request("GET", "/orders/1", "q=" + "a".repeat(5_000),
				Map.of("Authorization", List.of(Tokens.bearer("alice"))), null);
		assertThat(Parity.sameOnEveryEdge(this.edges, longUri).status()).isEqualTo(414);

		Edge.Request bigBody = new Edge.Request("POST", "/echo/upload", "", Map.of("Authorization",
				List.of(Tokens.bearer("alice")), "Content-Type", List.of("application/json")), "{\"x\":\"" + "a".repeat(3_000) + "\"}");
		Edge.Response body = Parity.sameOnEveryEdge(this.edges, bigBody);
		assertThat(body.status()).isEqualTo(413);
		assertThat(body.contentType()).isEqualTo("application/problem+json");
		assertThat(reached()).isEmpty();
	}

	// --- breakers count the backend's failures only -------------------------------------------------------------

	@Test
	void fiftyAbortedUploadsLeaveTheRouteBreakerClosed() {
		String token = Tokens.bearer("alice");
		double before = clientErrors();
		// a length under the body limit, so each upload reaches the proxy and dies while it streams the body
		IntStream.range(0, 50).forEach((i) -> RawHttp.abortUpload(this.port, "/echo/upload", 1_500, "Authorization", token));

		await().untilAsserted(() -> assertThat(clientErrors()).isEqualTo(before + 50));
		CircuitBreaker breaker = this.breakers.circuitBreaker("echo:new");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		Edge.Response after = new ContainerEdge(this.port).send(new Edge.Request("POST", "/echo/upload", "",
				Map.of("Authorization", List.of(token)), "{\"whole\":true}"));
		assertThat(after.status()).isEqualTo(200);
		assertThat(after.headers().get("x-strangler-side")).isEqualTo("new");
	}

	private double clientErrors() {
		var counter = this.meters.find("bff.strangler.requests")
			.tags("route", "echo", "side", "new", "outcome", "client_error")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	// --- logs -----------------------------------------------------------------------------------------------------

	@Test
	void warnAndErrorLinesCarryNoUserIdTokenKeyOrBody(CapturedOutput output) {
		String user = "u-log-7731";
		String token = Tokens.bearer(user);
		Downstreams.USER.stubFor(any(anyUrl()).atPriority(1).willReturn(okJson("{\"id\":\"" + user + "\"}")));
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1)
			.willReturn(aResponse().withStatus(500).withBody("{\"secret\":\"s3cr3t-body\"}")));
		Downstreams.ACTIVITY.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(404)
			.withBody("{\"error\":\"no activity for " + user + " s3cr3t-body\"}")));
		Strangled.NEW.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		for (Edge edge : this.edges) {
			assertThat(edge.send(Edge.Request.get("/dashboard", "Authorization", token)).status()).isEqualTo(200);
			edge.send(new Edge.Request("POST", "/echo/" + user, "", Map.of("Authorization", List.of(token)), "{}"));
			edge.send(Edge.Request.get("/dashboard", "Authorization", token + "x", "X-Api-Key", "k3y-" + user));
		}

		List<String> loud = output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
		assertThat(loud).as("the degraded parts are logged").anySatisfy((line) -> assertThat(line).contains("Part 'account' degraded"));
		assertThat(loud).allSatisfy((line) -> assertThat(line).doesNotContain(user)
			.doesNotContain(token.substring(token.lastIndexOf('.') + 1))
			.doesNotContain(token.substring(7).split("\\.")[1])
			.doesNotContain("s3cr3t-body"));
	}

	// --- the Lambda edge ------------------------------------------------------------------------------------------

	@Test
	void repeatedQueryParametersSurviveEveryEdge() {
		Parity.sameOnEveryEdge(this.edges, new Edge.Request("GET", "/echo/q", "a=1&a=2&b=x%20y",
				Map.of("Authorization", List.of(Tokens.bearer("alice"))), null));

		assertThat(reached()).hasSize(this.edges.size())
			.allSatisfy((request) -> assertThat(request.getUrl()).isEqualTo("/echo/q?a=1&a=2&b=x%20y"));
	}

}
