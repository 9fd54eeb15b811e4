package dev.bffgateway.it;

import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard dependency strangled like a route: the account service is moving to a new one (all users, weight
 * 100). The dashboard gets the new service's account; when the new service fails, legacy answers and the
 * section is not degraded.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.dependencies.instances.account.weight=100",
				"gateway.dependencies.defaults.read-timeout=300ms",
				// the stubs answer which side served ({"servedBy":"new"}), not an account: no contract to check
				"gateway.dependencies.instances.account.contract=none" })
class WebStrangledDependencyTest extends ContainerTestSupport {

	@DynamicPropertySource
	static void newAccountService(DynamicPropertyRegistry registry) {
		registry.add("gateway.dependencies.instances.account.new-base-url", Strangled.NEW::baseUrl);
	}

	@BeforeEach
	void newServiceHealthy() {
		Strangled.healthy();
	}

	@Test
	void theNewServiceAnswersForTheAccountSection() {
		String migrated = "{\"id\":\"42\",\"status\":\"migrated\",\"balance\":{\"amount\":\"1.00\",\"currency\":\"EUR\"}}";
		Strangled.NEW.stubFor(get(urlPathEqualTo("/accounts/" + Downstreams.USER_ID)).atPriority(1).willReturn(okJson(migrated)));

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		ObjectNode expected = (ObjectNode) WebDashboardScenariosTest.expectedDashboard(List.of());
		expected.set("account", Bff.JSON.readTree(migrated));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(expected);
		assertThat(Downstreams.ACCOUNT.getAllServeEvents()).isEmpty();
	}

	@Test
	void aFailingNewServiceFallsBackToLegacyWithoutDegrading() {
		Strangled.NEW.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		double before = fallbacks();

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of()));
		assertThat(fallbacks()).isEqualTo(before + 1);
	}

	private double fallbacks() {
		var counter = this.meters.find("bff.strangler.requests")
			.tags("route", "account", "side", "legacy", "outcome", "fallback")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
