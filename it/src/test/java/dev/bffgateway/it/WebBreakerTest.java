package dev.bffgateway.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.bffgateway.core.testing.MovableClock;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The account breaker's whole cycle with a small window: it opens after its window of failures, keeps calls
 * away from the dead stub while open, and closes again through half-open once the stub recovers. Time in the
 * open state is stepped with a {@link MovableClock}, never slept.
 */
@SpringBootTest(classes = { WebBffApplication.class, WebBreakerTest.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.dependencies.defaults.read-timeout=300ms",
				"resilience4j.circuitbreaker.instances.account.sliding-window-size=3",
				"resilience4j.circuitbreaker.instances.account.minimum-number-of-calls=3",
				"resilience4j.circuitbreaker.instances.account.wait-duration-in-open-state=30s",
				"resilience4j.circuitbreaker.instances.account.permitted-number-of-calls-in-half-open-state=1" })
class WebBreakerTest extends ContainerTestSupport {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		MovableClock gatewayClock() {
			return new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));
		}

	}

	@Autowired
	Clock clock;

	@Test
	void breakerOpensOnItsWindowStaysOffTheDeadStubAndClosesThroughHalfOpen() {
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));

		for (int i = 0; i < 3; i++) {
			assertThat(degraded()).containsExactly("account");
		}
		assertThat(accountState()).isEqualTo("OPEN");
		assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{name=\"account\",state=\"open\"} 1.0");
		assertThat(accountRequests()).isEqualTo(3);

		double refusedBefore = calls("account", "breaker_open");
		for (int i = 0; i < 5; i++) {
			assertThat(degraded()).containsExactly("account");
		}
		assertThat(accountRequests()).as("no call reaches the dead stub while open").isEqualTo(3);
		assertThat(calls("account", "breaker_open")).isEqualTo(refusedBefore + 5);

		Downstreams.healthy(); // the account service recovers (and its request journal is cleared)
		assertThat(degraded()).as("still open: the wait has not passed").containsExactly("account");
		assertThat(accountRequests()).isZero();

		((MovableClock) this.clock).advance(Duration.ofSeconds(31));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(degraded()).isEmpty());
		assertThat(accountState()).isEqualTo("CLOSED");
		assertThat(accountRequests()).isEqualTo(1);
		assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{name=\"account\",state=\"closed\"} 1.0");
	}

	private List<String> degraded() {
		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));
		assertThat(response.status()).isEqualTo(200);
		List<String> degraded = new ArrayList<>();
		response.json().get("degraded").forEach((node) -> degraded.add(node.asString()));
		return degraded;
	}

	private String accountState() {
		return this.management.get("/actuator/health")
			.json()
			.at("/components/circuitBreakers/details/account/state")
			.asString();
	}

	private String prometheus() {
		return this.management.get("/actuator/prometheus").body();
	}

	private int accountRequests() {
		return Downstreams.ACCOUNT.getAllServeEvents().size();
	}

}
