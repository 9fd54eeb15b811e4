package dev.bffgateway.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.mobile.MobileBffApplication;
import dev.bffgateway.mobile.MobileBffLambdaHandler;
import dev.bffgateway.partner.PartnerBffApplication;
import dev.bffgateway.partner.PartnerBffLambdaHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * mobile-bff and partner-bff on both edges: each app on a real port and its Lambda handler fed API Gateway v1
 * and v2 events must give the same answers, payloads and partner policy included.
 */
class ClientsParityTest {

	static final String ACME_KEY = "acme-7f3c9b2e-live-key";

	static final String TINY_KEY = "tiny-01d5a8c4-live-key";

	/** The partners' OAuth clients: their ids, as no client-id is configured. */
	static final String ACME = "acme";

	static final String TINY = "tiny";

	static ConfigurableApplicationContext mobileApp;

	static ConfigurableApplicationContext partnerApp;

	static List<Edge> mobile;

	static List<Edge> partner;

	/** Settings for one partner BFF: a generous partner and one limited to 2 requests an hour. */
	static Map<String, String> partnerSettings() {
		Map<String, String> settings = new HashMap<>(LambdaEdges.downstreams());
		settings.put("partner.partners.acme.api-key-sha256", PartnerDashboardTest.sha256(ACME_KEY));
		settings.put("partner.partners.acme.rate-limit.limit-for-period", "1000");
		settings.put("partner.partners.acme.rate-limit.refresh-period", "1s");
		settings.put("partner.partners.acme.fields.user", "id,tier");
		settings.put("partner.partners.acme.fields.account", "status");
		settings.put("partner.partners.tiny.api-key-sha256", PartnerDashboardTest.sha256(TINY_KEY));
		settings.put("partner.partners.tiny.rate-limit.limit-for-period", "2");
		settings.put("partner.partners.tiny.rate-limit.refresh-period", "1h");
		settings.put("partner.partners.tiny.fields.user", "id");
		return settings;
	}

	@BeforeAll
	static void startBothEdges() {
		Downstreams.healthy();
		mobileApp = start(MobileBffApplication.class, LambdaEdges.downstreams());
		partnerApp = start(PartnerBffApplication.class, partnerSettings());
		MobileBffLambdaHandler mobileHandler = LambdaEdges.start(MobileBffLambdaHandler::new, LambdaEdges.downstreams());
		PartnerBffLambdaHandler partnerHandler = LambdaEdges.start(PartnerBffLambdaHandler::new, partnerSettings());
		mobile = List.of(new ContainerEdge(port(mobileApp)), new LambdaEdge(mobileHandler, LambdaEdge.Format.V1),
				new LambdaEdge(mobileHandler, LambdaEdge.Format.V2));
		partner = List.of(new ContainerEdge(port(partnerApp)), new LambdaEdge(partnerHandler, LambdaEdge.Format.V1),
				new LambdaEdge(partnerHandler, LambdaEdge.Format.V2));
	}

	private static ConfigurableApplicationContext start(Class<?> application, Map<String, String> settings) {
		List<String> args = new ArrayList<>(List.of("--server.port=0"));
		settings.forEach((key, value) -> args.add("--" + key + "=" + value));
		return SpringApplication.run(application, args.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		mobileApp.close();
		partnerApp.close();
	}

	@BeforeEach
	void healthy() {
		Downstreams.healthy();
	}

	@Test
	void mobilePayloadIsTheSameOnEveryEdge() {
		Edge.Response response = Parity.sameOnEveryEdge(mobile,
				Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		assertThat(response.json()).isEqualTo(MobileDashboardTest.EXPECTED);
	}

	@Test
	void mobileDegradesAlikeOnEveryEdge() {
		Downstreams.ACCOUNT.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));

		Edge.Response response = Parity.sameOnEveryEdge(mobile,
				Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));

		assertThat(response.json().get("degraded").toString()).isEqualTo("[\"account\"]");
	}

	@Test
	void aUserServiceAnsweringAnArrayIsAnUnavailableDashboardForMobileAndPartnerOnEveryEdge() {
		// the reported bug: mobile and partner answered 200 with "user":{}
		Downstreams.USER.stubFor(any(anyUrl()).atPriority(1).willReturn(okJson(WebDashboardScenariosTest.JSON_ARRAY)));

		for (Edge.Response response : List.of(
				Parity.sameOnEveryEdge(mobile,
						Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID))),
				Parity.sameOnEveryEdge(partner, Edge.Request.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization",
						Tokens.delegated(Downstreams.USER_ID, ACME))))) {
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.json().get("degraded").toString()).isEqualTo("[\"user\"]");
		}
	}

	@Test
	void partnerAllowListAndPiiGatekeepingHoldOnEveryEdge() {
		Downstreams.USER.stubFor(get(urlPathEqualTo("/users/42")).atPriority(1)
			.willReturn(okJson("{\"id\":\"42\",\"tier\":\"gold\",\"nationalId\":\"AB123456C\"}")));

		Edge.Response response = Parity.sameOnEveryEdge(partner,
				Edge.Request.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", Tokens.delegated(Downstreams.USER_ID, ACME)));

		assertThat(response.json()).isEqualTo(Bff.JSON.readTree(
				"{\"user\":{\"id\":\"42\",\"tier\":\"gold\"},\"account\":{\"status\":\"active\"},\"degraded\":[]}"));
	}

	@Test
	void partnerWithoutAValidKeyIsUnauthorizedOnEveryEdge() {
		for (Edge.Request request : List.of(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer("42")),
				Edge.Request.get("/dashboard", "X-Api-Key", "wrong", "Authorization", Tokens.bearer("42")))) {
			Edge.Response response = Parity.sameOnEveryEdge(partner, request);
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.headers().get("www-authenticate")).startsWith("ApiKey ");
		}
	}

	@Test
	void aPartnerKeyReadsUserDataOnlyWithATokenDelegatedToThatPartnerOnEveryEdge() {
		Edge.Response keyAlone = Parity.sameOnEveryEdge(partner,
				Edge.Request.get("/dashboard", "X-Api-Key", ACME_KEY, "X-User-Id", Downstreams.USER_ID));
		assertThat(keyAlone.status()).isEqualTo(401);
		assertThat(keyAlone.headers().get("www-authenticate")).isEqualTo("Bearer");

		for (String token : List.of(Tokens.delegated(Downstreams.USER_ID, TINY), Tokens.bearer(Downstreams.USER_ID))) {
			Edge.Response response = Parity.sameOnEveryEdge(partner,
					Edge.Request.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", token));
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
		}
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void partnerRateLimitAnswersAlikeOnEveryEdge() {
		// the container and the Lambda handler are two applications counting their own requests; the Lambda
		// handler's v1 and v2 events share one: the sequences must match
		List<List<Edge>> applications = List.of(List.of(partner.get(0), partner.get(0), partner.get(0)),
				List.of(partner.get(1), partner.get(2), partner.get(1), partner.get(2)));
		for (List<Edge> sequence : applications) {
			List<Integer> statuses = new ArrayList<>();
			Edge.Response last = null;
			for (Edge edge : sequence) {
				last = edge.send(Edge.Request.get("/dashboard", "X-Api-Key", TINY_KEY, "Authorization", Tokens.delegated("42", TINY)));
				statuses.add(last.status());
			}
			assertThat(statuses.subList(0, 3)).as(sequence.get(0).name()).containsExactly(200, 200, 429);
			assertThat(statuses).as("once over, every later request too").endsWith(429);
			assertThat(last.contentType()).isEqualTo("application/problem+json");
			assertThat(Long.parseLong(last.headers().get("retry-after"))).isBetween(1L, 3600L);
		}
	}

}
