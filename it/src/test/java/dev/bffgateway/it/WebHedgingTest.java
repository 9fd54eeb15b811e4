package dev.bffgateway.it;

import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hedged reads against an activity service whose every 10th answer is slower than the dashboard's deadline: with
 * hedging on, none of those dashboards is degraded, and the hedges cost at most 15 % more activity requests. (How
 * much hedging takes off the latency percentiles is measured in bench/hedging.sh, not here.)
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.dashboard.deadline=1s", "gateway.dependencies.defaults.read-timeout=3s",
				"gateway.dependencies.instances.activity.hedge.enabled=true",
				"gateway.dependencies.instances.activity.hedge.percentile=0",
				"gateway.dependencies.instances.activity.hedge.delay=250ms" })
class WebHedgingTest extends ContainerTestSupport {

	private static final int DASHBOARDS = 50;

	@Test
	void everyTenthSlowAnswerIsHedgedAndNoDashboardDegrades() {
		String path = Downstreams.path("activity");
		String body = Downstreams.contract("activity");
		// a cycle of ten states: the 10th request's answer takes 2 s, twice the dashboard's deadline
		for (int state = 0; state < 10; state++) {
			var answer = okJson(body);
			if (state == 9) {
				answer = answer.withFixedDelay(2_000);
			}
			Downstreams.ACTIVITY.stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario("every 10th")
				.whenScenarioStateIs(name(state)).willReturn(answer).willSetStateTo(name((state + 1) % 10)));
		}
		for (int i = 0; i < 10; i++) { // recent traffic, so the budget has places for hedges
			this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));
		}
		Downstreams.ACTIVITY.resetRequests();
		double won = hedges("won");

		for (int i = 0; i < DASHBOARDS; i++) {
			Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("degraded")).as("dashboard " + i).isEqualTo(Bff.JSON.readTree("[]"));
		}

		int requests = Downstreams.ACTIVITY.findAll(getRequestedFor(urlPathEqualTo(path))).size();
		assertThat(hedges("won") - won).as("every slow answer was overtaken by its hedge").isGreaterThanOrEqualTo(4);
		assertThat(requests).as("extra load ≤ 15 %").isBetween(DASHBOARDS, DASHBOARDS * 115 / 100);
	}

	private static String name(int state) {
		return (state == 0) ? Scenario.STARTED : "s" + state;
	}

	private double hedges(String outcome) {
		var counter = this.meters.find("bff.downstream.hedges").tags("dependency", "activity", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
