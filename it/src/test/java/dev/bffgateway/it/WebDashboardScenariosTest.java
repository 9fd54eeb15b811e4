package dev.bffgateway.it;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.bffgateway.web.WebBffApplication;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * web-bff on a real port against WireMock downstreams: the healthy payload, every way a dependency can fail,
 * bad input, trace propagation and parallelism.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.dependencies.defaults.read-timeout=300ms", "gateway.dashboard.deadline=1s" })
@ExtendWith(OutputCaptureExtension.class)
class WebDashboardScenariosTest extends ContainerTestSupport {

	static final Duration DEADLINE = Duration.ofSeconds(1);

	/** Well-formed JSON, but an array where every dependency's contract wants an object. */
	static final String JSON_ARRAY = "[{\"id\":\"42\",\"userId\":\"42\",\"status\":\"active\",\"items\":[]}]";

	/** A body each contract accepts, one byte over the default max-body-size (1 MiB). */
	static final String OVERSIZE = oversize();

	private static String oversize() {
		String head = "{\"id\":\"42\",\"userId\":\"42\",\"status\":\"active\",\"items\":[],\"padding\":\"";
		return head + "x".repeat(1024 * 1024 - head.length() - 2 + 1) + "\"}";
	}

	@Test
	void healthyDashboardCarriesEverySectionInFull() {
		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		assertThat(response.json()).isEqualTo(expectedDashboard(List.of()));
		assertThat(fieldNames(response.json())).containsExactly("user", "activity", "account", "degraded");
	}

	/**
	 * A service that ignores {@code limit=20} and adds fields nobody asked for: the web client still gets what it
	 * renders, the first 20 items in the service's order, and none of the new fields.
	 */
	@Test
	void onlyWhatTheWebClientRendersReachesIt() {
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < 1000; i++) {
			items.append(i == 0 ? "" : ",")
				.append("{\"id\":\"a-").append(i).append("\",\"type\":\"payment\",\"at\":\"2026-11-25T18:04:00Z\",")
				.append("\"summary\":\"s\",\"merchantPhone\":\"+44 20 7946 0000\"}");
		}
		Downstreams.ACTIVITY.stubFor(any(anyUrl()).atPriority(1)
			.willReturn(okJson("{\"userId\":\"42\",\"items\":[" + items + "],\"nextCursor\":\"x\"}")));
		Downstreams.USER.stubFor(any(anyUrl()).atPriority(1).willReturn(okJson("{\"id\":\"42\",\"name\":\"Ada\","
				+ "\"phone\":\"+44 20 7946 0001\",\"address\":{\"city\":\"London\"}}")));

		JsonNode body = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)).json();

		assertThat(body.get("user")).isEqualTo(Bff.JSON.readTree("{\"id\":\"42\",\"name\":\"Ada\"}"));
		assertThat(fieldNames(body.get("activity"))).containsExactly("userId", "items");
		assertThat(body.at("/activity/items").size()).isEqualTo(20);
		for (int i = 0; i < 20; i++) {
			assertThat(body.at("/activity/items/" + i)).isEqualTo(Bff.JSON.readTree("{\"id\":\"a-" + i
					+ "\",\"type\":\"payment\",\"at\":\"2026-11-25T18:04:00Z\",\"summary\":\"s\"}"));
		}
		assertThat(body.get("degraded")).isEqualTo(Bff.JSON.readTree("[]"));
		assertThat(OpenApiContract.violations(OpenApiContract.dashboardSchema(this.bff, "200", "application/json"), body))
			.isEmpty();
	}

	@Test
	void realResponsesMatchThePublishedOpenApiSchema() {
		var schema = OpenApiContract.dashboardSchema(this.bff, "200", "application/json");
		assertThat(OpenApiContract.violations(schema, this.bff.get("/dashboard", "Authorization", Tokens.bearer("42")).json())).isEmpty();
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));
		assertThat(OpenApiContract.violations(schema, this.bff.get("/dashboard", "Authorization", Tokens.bearer("42")).json())).isEmpty();
		assertThat(OpenApiContract.violations(schema, Bff.JSON.readTree("{\"user\":{}}")))
			.as("a body without degraded and sections breaks the schema")
			.isNotEmpty();
		var problem = OpenApiContract.dashboardSchema(this.bff, "401", "application/problem+json");
		assertThat(OpenApiContract.violations(problem, this.bff.get("/dashboard").json())).isEmpty();
	}

	static Stream<Arguments> failures() {
		Map<String, Supplier<ResponseDefinitionBuilder>> faults = Map.of(
				"http 500", () -> aResponse().withStatus(500).withBody("{\"error\":\"boom\"}"),
				"delay beyond timeout", () -> okJson("{}").withFixedDelay(3_000),
				"connection reset", () -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
				"empty response", () -> aResponse().withFault(Fault.EMPTY_RESPONSE),
				"malformed json", () -> okJson("{\"id\": \"42\", \"status\": "),
				"json array", () -> okJson(JSON_ARRAY),
				"body over 1 MiB", () -> okJson(OVERSIZE));
		Map<String, String> outcomes = Map.of("http 500", "error_status", "delay beyond timeout", "timeout",
				"connection reset", "unreachable", "empty response", "unreachable", "malformed json", "unreadable",
				"json array", "contract", "body over 1 MiB", "unreadable");
		return Downstreams.NAMES.stream()
			.flatMap((dependency) -> faults.keySet()
				.stream()
				.sorted()
				.map((fault) -> Arguments.of(dependency, fault, faults.get(fault), outcomes.get(fault))));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("failures")
	void aFailingDependencyDegradesItsSectionWithinTheDeadline(String dependency, String fault,
			Supplier<ResponseDefinitionBuilder> answer, String outcome) {
		Downstreams.of(dependency).stubFor(any(anyUrl())
			.atPriority(1)
			.willReturn(answer.get()));
		double before = calls(dependency, outcome);

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.elapsed()).isLessThan(DEADLINE.plusMillis(100));
		assertThat(calls(dependency, outcome)).as("calls with outcome " + outcome).isEqualTo(before + 1);
		if (dependency.equals("user")) {
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.json().get("title").asString()).isEqualTo("Dashboard unavailable");
			assertThat(response.json().get("degraded").toString()).isEqualTo("[\"user\"]");
		}
		else {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json()).isEqualTo(expectedDashboard(List.of(dependency)));
		}
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("boom").doesNotContain("at dev.");
	}

	@Test
	void aContractFailureIsLoggedWithItsPointerNeverTheBody(CapturedOutput output) {
		Downstreams.ACTIVITY.stubFor(any(anyUrl()).atPriority(1).willReturn(okJson(
				"{\"userId\":\"42\",\"items\":[{\"id\":\"a-103\",\"type\":\"payment\",\"at\":1764093840,"
						+ "\"summary\":\"Paid 42.00 EUR to Bistro\"}]}")));
		double before = calls("activity", "contract");

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(expectedDashboard(List.of("activity")));
		assertThat(calls("activity", "contract")).isEqualTo(before + 1);
		assertThat(output.getOut().lines().filter((line) -> line.contains("Part 'activity' degraded")))
			.singleElement()
			.asString()
			.endsWith("Part 'activity' degraded: contract (DownstreamCallException) at \"/items/0/at\" type");
		assertThat(output.getOut()).doesNotContain("Bistro").doesNotContain("1764093840");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "../42", "42 OR 1=1", "é", "0123456789012345678901234567890123456789012345678901234567890123456789" })
	void aSignedTokenWhoseUserIdIsNotPlainIsUnauthorizedAndCallsNothing(String userId) {
		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(userId));

		assertUnauthorized(response, "Bearer error=\"invalid_token\"");
	}

	@Test
	void noTokenIsUnauthorizedAndCallsNothing() {
		assertUnauthorized(this.bff.get("/dashboard", "X-User-Id", Downstreams.USER_ID), "Bearer");
	}

	private void assertUnauthorized(Bff.Response response, String challenge) {
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(401);
		assertThat(response.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith(challenge));
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void unknownPathAndWrongMethodAreProblems() {
		Bff.Response notFound = this.bff.get("/no-such-thing", "Authorization", Tokens.bearer(Downstreams.USER_ID));
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.contentType()).isEqualTo("application/problem+json");

		Bff.Response wrongMethod = this.bff.send("DELETE", "/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.contentType()).isEqualTo("application/problem+json");
	}

	@Test
	void incomingTraceIsSentDownstreamAndLogged(CapturedOutput output) {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		Downstreams.ACCOUNT.stubFor(any(anyUrl())
			.atPriority(1)
			.willReturn(aResponse().withStatus(500)));

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID), "traceparent",
				"00-" + traceId + "-00f067aa0ba902b7-01");

		assertThat(response.status()).isEqualTo(200);
		for (String dependency : Downstreams.NAMES) {
			Downstreams.of(dependency)
				.verify(getRequestedFor(urlPathEqualTo(Downstreams.path(dependency))).withHeader("traceparent",
						matching("00-" + traceId + "-[0-9a-f]{16}-01")));
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("Part 'account' degraded")))
			.singleElement()
			.asString()
			.contains(traceId);
	}

	@Test
	void aTraceIsStartedWhenTheClientSendsNone() {
		this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		Downstreams.USER.verify(getRequestedFor(urlPathEqualTo(Downstreams.path("user"))).withHeader("traceparent",
				matching("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")));
	}

	/**
	 * In a sampled trace each dependency call is a client span of its own (three calls, three parent ids, none the
	 * client's); in one that is not sampled no span is made per call: all three go on under the server's span.
	 */
	@Test
	void aSampledTraceGetsASpanPerCallAndAnUnsampledOneNone() {
		String sampled = "4bf92f3577b34da6a3ce929d0e0e4737";
		String unsampled = "4bf92f3577b34da6a3ce929d0e0e4738";
		String clientSpan = "00f067aa0ba902b7";

		this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID), "traceparent",
				"00-" + sampled + "-" + clientSpan + "-01");
		this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID), "traceparent",
				"00-" + unsampled + "-" + clientSpan + "-00");

		assertThat(parentSpans(sampled, "01")).hasSize(3).doesNotContain(clientSpan);
		assertThat(parentSpans(unsampled, "00")).hasSize(1).doesNotContain(clientSpan);
	}

	/** @return the parent span ids of the dependency calls made in the trace, each checked to carry the flags */
	private static Set<String> parentSpans(String traceId, String flags) {
		Set<String> parents = new HashSet<>();
		int calls = 0;
		for (String dependency : Downstreams.NAMES) {
			for (LoggedRequest request : Downstreams.of(dependency)
				.findAll(getRequestedFor(urlPathEqualTo(Downstreams.path(dependency))))) {
				String traceparent = request.getHeader("traceparent");
				if (traceparent != null && traceparent.startsWith("00-" + traceId + "-")) {
					assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-" + flags);
					parents.add(traceparent.split("-")[2]);
					calls++;
				}
			}
		}
		assertThat(calls).as("calls in trace " + traceId).isEqualTo(3);
		return parents;
	}

	@Test
	void dependenciesAreCalledInParallel() {
		this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)); // warm the connection pools
		for (String dependency : Downstreams.NAMES) {
			Downstreams.of(dependency).stubFor(any(anyUrl())
				.atPriority(1)
				.willReturn(okJson(Downstreams.contract(dependency)).withFixedDelay(200)));
		}

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.json()).isEqualTo(expectedDashboard(List.of()));
		assertThat(response.elapsed()).as("three 200 ms calls in parallel").isLessThan(Duration.ofMillis(400));
	}

	@Test
	void dashboardsAreTimedByNumberOfDegradedParts() {
		Downstreams.ACTIVITY.stubFor(any(anyUrl())
			.atPriority(1)
			.willReturn(aResponse().withStatus(503)));
		long before = dashboards("1");

		this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(dashboards("1")).isEqualTo(before + 1);
		assertThat(this.management.get("/actuator/prometheus").body())
			.contains("bff_dashboard_seconds_count{degraded=\"1\",outcome=\"ok\"}")
			.contains("resilience4j_circuitbreaker_state{name=\"activity\",state=\"closed\"} 1.0")
			.contains("bff_downstream_calls_seconds_count{dependency=\"activity\",outcome=\"error_status\"}");
	}

	private long dashboards(String degraded) {
		var timer = Search.in(this.meters).name("bff.dashboard").tag("degraded", degraded).timer();
		return (timer != null) ? timer.count() : 0;
	}

	static JsonNode expectedDashboard(List<String> degraded) {
		ObjectNode expected = Bff.JSON.createObjectNode();
		for (String name : Downstreams.NAMES) {
			expected.set(name, degraded.contains(name) ? Bff.JSON.nullNode()
					: Bff.JSON.readTree(Downstreams.contract(name)));
		}
		expected.set("degraded", Bff.JSON.valueToTree(degraded));
		return expected;
	}

	static List<String> fieldNames(JsonNode node) {
		return node.properties().stream().map(Map.Entry::getKey).toList();
	}

}
