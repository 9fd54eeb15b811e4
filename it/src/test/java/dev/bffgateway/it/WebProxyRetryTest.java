package dev.bffgateway.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.bffgateway.web.WebBffLambdaHandler;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-route retries (routes file {@code retry.max-attempts}), on the container and on Lambda: a request that is safe
 * to send again (an idempotent method without a body) is retried when its attempt got no answer at all or a
 * {@code 502/503/504} without a long {@code Retry-After}, within the side's budget; nothing else is ever sent twice.
 * Each BFF has one pooled connection per backend, so an answer a retry replaced and did not give back would starve
 * the next attempt.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "gateway.routes.max-connections-per-backend=1")
class WebProxyRetryTest extends ContainerTestSupport {

	private static final WireMockServer BACKEND = Downstreams.start();

	private static final Path ROUTES = Strangled.routesFile("web-bff.yml", """
			routes:
			  - id: retried
			    paths: [/retried/**]
			    legacy-uri: %1$s
			    new-uri: %1$s
			    weight: 0
			    auth: none
			    retry:
			      max-attempts: 3
			  - id: cold
			    paths: [/cold/**]
			    legacy-uri: %1$s
			    new-uri: %1$s
			    weight: 0
			    auth: none
			    retry:
			      max-attempts: 3
			  - id: once
			    paths: [/once/**]
			    legacy-uri: %1$s
			    new-uri: %1$s
			    weight: 0
			    auth: none
			""".formatted(BACKEND.baseUrl()));

	private static WebBffLambdaHandler handler;

	private List<Edge> edges;

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("gateway.routes.file", ROUTES::toString);
	}

	@BeforeAll
	static void startLambda() {
		handler = LambdaEdges.start(WebBffLambdaHandler::new, LambdaEdges.routed(
				Map.of("gateway.routes.file", ROUTES.toString(), "gateway.routes.max-connections-per-backend", "1")));
	}

	/**
	 * Every edge has seen five requests on {@code retried} in the last 10 s: room for one retry in flight (20 %);
	 * {@code cold} has seen none, so it has no room at all.
	 */
	@BeforeEach
	void warmedUp() {
		this.edges = List.of(new ContainerEdge(this.port), new LambdaEdge(handler, LambdaEdge.Format.V1),
				new LambdaEdge(handler, LambdaEdge.Format.V2));
		BACKEND.resetAll();
		BACKEND.stubFor(get(urlPathEqualTo("/retried/warm")).willReturn(ok()));
		for (Edge edge : this.edges) {
			for (int i = 0; i < 5; i++) {
				assertThat(edge.send(Edge.Request.get("/retried/warm")).status()).isEqualTo(200);
			}
		}
	}

	@Test
	void anUnavailableAnswerIsRetriedAndTheClientGetsTheNextOne() {
		double retried = count("retried", "retried");
		for (Edge edge : this.edges) {
			String path = "/retried/unavailable-" + edge.name();
			twice(path, aResponse().withStatus(503).withBody("busy"), ok("fine"));

			Edge.Response response = edge.send(Edge.Request.get(path));

			assertThat(response.status()).as(edge.name()).isEqualTo(200);
			assertThat(response.body()).as(edge.name()).isEqualTo("fine");
			assertThat(requests(path)).as(edge.name()).isEqualTo(2);
		}
		assertThat(count("retried", "retried")).as("the container's retry, counted").isEqualTo(retried + 1);
	}

	@Test
	void aConnectionClosedBeforeAnyAnswerIsRetried() {
		for (Edge edge : this.edges) {
			String path = "/retried/closed-" + edge.name();
			twice(path, aResponse().withFault(Fault.EMPTY_RESPONSE), ok("fine"));

			Edge.Response response = edge.send(Edge.Request.get(path).withMethod("HEAD"));

			assertThat(response.status()).as(edge.name()).isEqualTo(200);
			assertThat(requests(path)).as(edge.name()).isEqualTo(2);
		}
	}

	@Test
	void everyAttemptFailingTheLastAnswerStandsAfterMaxAttempts() {
		for (Edge edge : this.edges) {
			String path = "/retried/down-" + edge.name();
			BACKEND.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(502).withBody("down")));

			Edge.Response response = edge.send(Edge.Request.get(path));

			assertThat(response.status()).as(edge.name()).isEqualTo(502);
			assertThat(response.body()).as(edge.name()).isEqualTo("down");
			assertThat(requests(path)).as(edge.name()).isEqualTo(3);
		}
	}

	@Test
	void aRequestThatMayAlreadyHaveHadItsEffectIsNeverSentTwice() {
		for (Edge edge : this.edges) {
			String path = "/retried/write-" + edge.name();
			BACKEND.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)));
			BACKEND.stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)));

			Edge.Response posted = edge.send(new Edge.Request("POST", path, "", Map.of(), null));
			Edge.Response putWithBody = edge.send(new Edge.Request("PUT", path, "",
					Map.of("Content-Type", List.of("text/plain")), "the new state"));

			assertThat(posted.status()).as(edge.name()).isEqualTo(503);
			assertThat(putWithBody.status()).as(edge.name()).isEqualTo(503);
			assertThat(requests(path)).as(edge.name() + ": one POST, one PUT with a body").isEqualTo(2);
		}
	}

	@Test
	void aRouteThatAsksForNoRetriesGetsNone() {
		for (Edge edge : this.edges) {
			String path = "/once/unavailable-" + edge.name();
			twice(path, aResponse().withStatus(503), ok("fine"));

			assertThat(edge.send(Edge.Request.get(path)).status()).as(edge.name()).isEqualTo(503);
			assertThat(requests(path)).as(edge.name()).isEqualTo(1);
		}
	}

	@Test
	void onlyTheAnswersThatAskForARetryGetOne() {
		for (Edge edge : this.edges) {
			String later = "/retried/later-" + edge.name();
			String broken = "/retried/broken-" + edge.name();
			String missing = "/retried/missing-" + edge.name();
			twice(later, aResponse().withStatus(503).withHeader("Retry-After", "30"), ok());
			twice(broken, aResponse().withStatus(500), ok());
			twice(missing, aResponse().withStatus(404), ok());

			Edge.Response asked = edge.send(Edge.Request.get(later));

			assertThat(asked.status()).as(edge.name()).isEqualTo(503);
			assertThat(asked.headers()).as(edge.name() + ": the wait is the client's to honour")
				.containsEntry("retry-after", "30");
			assertThat(edge.send(Edge.Request.get(broken)).status()).as(edge.name()).isEqualTo(500);
			assertThat(edge.send(Edge.Request.get(missing)).status()).as(edge.name()).isEqualTo(404);
			assertThat(requests(later) + requests(broken) + requests(missing)).as(edge.name()).isEqualTo(3);
		}
	}

	@Test
	void aSideThatHasSeenNoTrafficHasNoBudgetForRetries() {
		double exhausted = count("cold", "budget_exhausted");
		for (Edge edge : this.edges) {
			String path = "/cold/unavailable-" + edge.name();
			twice(path, aResponse().withStatus(503), ok("fine"));

			assertThat(edge.send(Edge.Request.get(path)).status()).as(edge.name()).isEqualTo(503);
			assertThat(requests(path)).as(edge.name()).isEqualTo(1);
		}
		assertThat(count("cold", "budget_exhausted")).isEqualTo(exhausted + 1);
	}

	/** The first request for the path gets {@code first}, every later one {@code then}. */
	private static void twice(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
		BACKEND.stubFor(any(urlPathEqualTo(path)).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("answered"));
		BACKEND.stubFor(any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("answered").willReturn(then));
	}

	private static int requests(String path) {
		return BACKEND.findAll(anyRequestedFor(urlPathEqualTo(path))).size();
	}

	/** @return the container's count of retries on the route's legacy side with the outcome */
	private double count(String route, String outcome) {
		var counter = this.meters.find("bff.strangler.retries")
			.tags("route", route, "side", "legacy", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
