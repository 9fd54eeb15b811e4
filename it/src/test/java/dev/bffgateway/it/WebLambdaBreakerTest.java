package dev.bffgateway.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.web.WebBffLambdaHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breaker-open scenario on the Lambda edge, through both event formats: the account breaker opens after
 * its window of failures and, while open, no call reaches the account stub, even once it has recovered; the
 * answer is the same degraded dashboard the container gives ({@link WebBreakerTest} runs the full cycle
 * there, with a stepped clock).
 */
class WebLambdaBreakerTest {

	static WebBffLambdaHandler handler;

	@BeforeAll
	static void startLambda() {
		Downstreams.healthy();
		Map<String, String> environment = new HashMap<>(LambdaEdges.downstreams());
		environment.putAll(Map.of("resilience4j.circuitbreaker.instances.account.sliding-window-size", "3",
				"resilience4j.circuitbreaker.instances.account.minimum-number-of-calls", "3",
				"resilience4j.circuitbreaker.instances.account.wait-duration-in-open-state", "10m"));
		handler = LambdaEdges.start(WebBffLambdaHandler::new, environment);
	}

	@Test
	void openBreakerKeepsCallsOffTheDeadStubOnBothEventFormats() {
		Downstreams.healthy();
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));
		LambdaEdge v1 = new LambdaEdge(handler, LambdaEdge.Format.V1);
		LambdaEdge v2 = new LambdaEdge(handler, LambdaEdge.Format.V2);
		Edge.Request dashboard = Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		for (int i = 0; i < 3; i++) {
			assertDegradedAccount((i % 2 == 0) ? v1.send(dashboard) : v2.send(dashboard));
		}
		assertThat(Downstreams.ACCOUNT.getAllServeEvents()).hasSize(3);

		Downstreams.healthy(); // recovered, but the breaker waits 10 minutes before trying again
		for (LambdaEdge edge : List.of(v1, v2, v1, v2)) {
			assertDegradedAccount(edge.send(dashboard));
		}
		assertThat(Downstreams.ACCOUNT.getAllServeEvents()).as("calls reaching account while open").isEmpty();
		assertThat(Downstreams.USER.getAllServeEvents()).hasSize(4);
	}

	private static void assertDegradedAccount(Edge.Response response) {
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of("account")));
	}

}
