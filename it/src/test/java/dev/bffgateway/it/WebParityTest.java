package dev.bffgateway.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.bffgateway.web.WebBffApplication;
import dev.bffgateway.web.WebBffLambdaHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scenario suite, three ways in: web-bff's container port, and its Lambda handler fed API Gateway REST
 * (v1) and HTTP API (v2) events. Every scenario must produce the same status, body (trace ids aside) and
 * content type on every edge.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { WebParityTest.READ_TIMEOUT + "=300ms", WebParityTest.DEADLINE + "=1s",
				WebParityTest.WINDOW + "=1000", WebParityTest.MINIMUM_CALLS + "=1000" })
@ExtendWith(OutputCaptureExtension.class)
class WebParityTest {

	static final String READ_TIMEOUT = "gateway.dependencies.defaults.read-timeout";

	static final String DEADLINE = "gateway.dashboard.deadline";

	/** The breakers must not trip across the failure scenarios: the breaker has its own test per edge. */
	static final String WINDOW = "resilience4j.circuitbreaker.configs.default.sliding-window-size";

	static final String MINIMUM_CALLS = "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls";

	static WebBffLambdaHandler handler;

	@DynamicPropertySource
	static void downstreams(DynamicPropertyRegistry registry) {
		Downstreams.register(registry);
		registry.add("gateway.routes.file", Strangled.ROUTES_FILE::toString);
	}

	@BeforeAll
	static void startLambda() {
		if (handler == null) {
			handler = LambdaEdges.start(WebBffLambdaHandler::new, LambdaEdges
				.routed(Map.of(READ_TIMEOUT, "300ms", DEADLINE, "1s", WINDOW, "1000", MINIMUM_CALLS, "1000")));
		}
	}

	@LocalServerPort
	int port;

	List<Edge> edges;

	@BeforeEach
	void healthy() {
		Downstreams.healthy();
		Strangled.healthy();
		this.edges = List.of(new ContainerEdge(this.port), new LambdaEdge(handler, LambdaEdge.Format.V1),
				new LambdaEdge(handler, LambdaEdge.Format.V2));
	}

	private Edge.Response sameOnEveryEdge(Edge.Request request) {
		return Parity.sameOnEveryEdge(this.edges, request);
	}

	@Test
	void healthyDashboard() {
		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of()));
	}

	static Stream<Arguments> failures() {
		Map<String, Supplier<ResponseDefinitionBuilder>> faults = Map.of("http 500",
				() -> aResponse().withStatus(500), "delay beyond timeout", () -> okJson("{}").withFixedDelay(2_000),
				"connection reset", () -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "empty response",
				() -> aResponse().withFault(Fault.EMPTY_RESPONSE), "malformed json", () -> okJson("{\"id\": "),
				"json array", () -> okJson(WebDashboardScenariosTest.JSON_ARRAY), "body over 1 MiB",
				() -> okJson(WebDashboardScenariosTest.OVERSIZE));
		return Downstreams.NAMES.stream()
			.flatMap((dependency) -> faults.keySet()
				.stream()
				.sorted()
				.map((fault) -> Arguments.of(dependency, fault, faults.get(fault))));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("failures")
	void degradation(String dependency, String fault, Supplier<ResponseDefinitionBuilder> answer) {
		Downstreams.of(dependency).stubFor(any(anyUrl()).atPriority(1).willReturn(answer.get()));

		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		if (dependency.equals("user")) {
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.json().get("degraded").toString()).isEqualTo("[\"user\"]");
		}
		else {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of(dependency)));
		}
	}

	/**
	 * An account service that closes every other connection without answering: on every edge the retry (within
	 * the budget recent traffic gives) gets the answer, and the dashboard is whole. Two account requests per
	 * dashboard, never more.
	 */
	@Test
	void aReadWithoutAnAnswerIsRetriedWithinTheBudgetOnEveryEdge() {
		for (int i = 0; i < 10; i++) { // recent traffic, so each edge's budget has a place for a retry
			sameOnEveryEdge(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));
		}
		String path = Downstreams.path("account");
		Downstreams.ACCOUNT.stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario("every other")
			.whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE))
			.willSetStateTo("answering"));
		Downstreams.ACCOUNT.stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario("every other")
			.whenScenarioStateIs("answering").willReturn(okJson(Downstreams.contract("account")))
			.willSetStateTo(Scenario.STARTED));
		Downstreams.ACCOUNT.resetRequests();

		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of()));
		assertThat(Downstreams.ACCOUNT.findAll(getRequestedFor(urlPathEqualTo(path)))).hasSize(2 * this.edges.size());
	}

	@Test
	void noToken() {
		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/dashboard", "X-User-Id", Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.headers().get("www-authenticate")).isEqualTo("Bearer");
	}

	@ParameterizedTest
	@ValueSource(strings = { " ", "../42", "42;drop" })
	void aTokenWhoseUserIdIsNotPlain(String userId) {
		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(userId)));

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers().get("www-authenticate")).startsWith("Bearer error=\"invalid_token\"");
	}

	@Test
	void unknownPath() {
		Edge.Response response = sameOnEveryEdge(Edge.Request.get("/no/such/path", "Authorization", Tokens.bearer("42")));

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
	}

	@Test
	void wrongMethod() {
		Edge.Response response = sameOnEveryEdge(
				Edge.Request.get("/dashboard", "Authorization", Tokens.bearer("42")).withMethod("DELETE"));

		assertThat(response.status()).isEqualTo(405);
		assertThat(response.headers().get("allow")).isEqualTo("GET");
	}

	@Test
	void headerNamesAreCaseInsensitiveAndQueryStringsCarried() {
		Edge.Request request = new Edge.Request("GET", "/dashboard", "utm_source=push&utm_source=mail&x=%2F",
				Map.of("authorization", List.of(Tokens.bearer(Downstreams.USER_ID))), null);

		assertThat(sameOnEveryEdge(request).status()).isEqualTo(200);
	}

	@Test
	void stranglerRoutesPickTheSameSideForAUserOnEveryEdge() {
		List<String> sides = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			Edge.Response response = sameOnEveryEdge(Edge.Request.get("/orders/1", "Authorization", Tokens.bearer("user-" + i)));
			assertThat(response.status()).isEqualTo(200);
			sides.add(response.headers().get("x-strangler-side"));
		}
		assertThat(sides).contains("legacy", "new");
	}

	@Test
	void aProxiedPostArrivesIdenticallyFromEveryEdge() {
		Edge.Request post = new Edge.Request("POST", "/echo/orders", "source=app&note=two%20words",
				Map.of("Content-Type", List.of("application/json"), "X-Custom", List.of("kept"), "Authorization",
						List.of(Tokens.bearer("user-1"))),
				"{\"item\":\"book\",\"qty\":2}");

		Edge.Response response = sameOnEveryEdge(post);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers().get("x-strangler-side")).isEqualTo("new");
		var received = Strangled.NEW.findAll(anyRequestedFor(anyUrl()));
		assertThat(received).hasSize(this.edges.size());
		for (var request : received) {
			assertThat(request.getMethod().getName()).isEqualTo("POST");
			assertThat(request.getUrl()).isEqualTo("/echo/orders?source=app&note=two%20words");
			assertThat(request.getBodyAsString()).isEqualTo("{\"item\":\"book\",\"qty\":2}");
			assertThat(request.getHeader("X-Custom")).isEqualTo("kept");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json at all", "[1, 2, 3]", "{\"version\":\"2.0\",\"rawPath\":\"/dashboard\"}",
			"{\"httpMethod\":\"GET\",\"path\":\"/dashboard\",\"requestContext\":{},\"body\":\"***\",\"isBase64Encoded\":true}" })
	void malformedEventsGetABadRequestNeverAnException(String event) {
		for (LambdaEdge.Format format : LambdaEdge.Format.values()) {
			Edge.Response response = new LambdaEdge(handler, format)
				.invoke(event.getBytes(StandardCharsets.UTF_8));

			assertThat(response.status()).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.json().get("status").asInt()).isEqualTo(400);
		}
	}

	@Test
	void snapStartPrimingRunsBothEventFormatsAndCallsNoDependency() throws Exception {
		assertThat(handler.prime()).containsExactly(401, 401);

		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void lambdaEdgeEmitsTheSameMetersAsEmbeddedMetricFormat(CapturedOutput output) {
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));

		new LambdaEdge(handler, LambdaEdge.Format.V2)
			.send(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		List<JsonNode> documents = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{\"_aws\""))
			.map(Bff.JSON::readTree)
			.toList();
		assertThat(documents).anySatisfy((document) -> {
			assertThat(document.at("/_aws/CloudWatchMetrics/0/Namespace").asString()).isEqualTo("BffGateway");
			assertThat(document.path("service").asString("")).isEqualTo("web-bff");
			assertThat(document.path("dependency").asString("")).isEqualTo("account");
			assertThat(document.path("outcome").asString("")).isEqualTo("error_status");
			assertThat(document.path("bff.downstream.calls.count").asDouble(0)).isEqualTo(1.0);
		});
		assertThat(documents).anySatisfy((document) -> {
			assertThat(document.path("degraded").asString("")).isEqualTo("1");
			assertThat(document.path("bff.dashboard.count").asDouble(0)).isEqualTo(1.0);
			assertThat(document.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asString()).startsWith("bff.dashboard");
		});
	}

}
