package dev.bffgateway.it;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.bffgateway.mobile.MobileBffApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** mobile-bff's compact dashboard against the same WireMock downstreams as web. */
@SpringBootTest(classes = MobileBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "gateway.dependencies.defaults.read-timeout=300ms")
class MobileDashboardTest extends ContainerTestSupport {

	static final JsonNode EXPECTED = Bff.JSON.readTree("""
			{"user":{"name":"Ada Lovelace","avatarUrl":"https://cdn.example.com/avatars/42.png","tier":"gold"},
			 "activity":[{"id":"a-103","type":"payment","at":"2026-11-25T18:04:00Z"},
			             {"id":"a-102","type":"login","at":"2026-11-25T08:12:00Z"},
			             {"id":"a-101","type":"transfer","at":"2026-11-24T16:40:00Z"}],
			 "account":{"status":"active","balance":{"amount":"1234.56","currency":"EUR"}},
			 "degraded":[]}""");

	@Test
	void compactPayloadHoldsOnlyWhatTheHomeScreenRenders() {
		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(EXPECTED);
		Downstreams.ACTIVITY.verify(getRequestedFor(urlEqualTo("/users/42/activity?limit=5")));
	}

	/** A service that ignores {@code limit=5} and adds fields: the home screen still gets its 5 lines, as declared. */
	@Test
	void aServiceIgnoringTheLimitStillGivesTheHomeScreenFiveLines() {
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < 1000; i++) {
			items.append(i == 0 ? "" : ",").append("{\"id\":\"a-").append(i)
				.append("\",\"type\":\"login\",\"at\":\"2026-11-25T08:12:00Z\",\"ip\":\"192.0.2.7\"}");
		}
		Downstreams.ACTIVITY.stubFor(any(anyUrl()).atPriority(1)
			.willReturn(okJson("{\"userId\":\"42\",\"items\":[" + items + "]}")));

		JsonNode body = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)).json();

		assertThat(body.get("activity").size()).isEqualTo(5);
		for (int i = 0; i < 5; i++) {
			assertThat(body.at("/activity/" + i)).isEqualTo(Bff.JSON.readTree(
					"{\"id\":\"a-" + i + "\",\"type\":\"login\",\"at\":\"2026-11-25T08:12:00Z\"}"));
		}
		assertThat(OpenApiContract.violations(OpenApiContract.dashboardSchema(this.bff, "200", "application/json"), body))
			.isEmpty();
	}

	@Test
	void realResponsesMatchThePublishedOpenApiSchema() {
		var schema = OpenApiContract.dashboardSchema(this.bff, "200", "application/json");

		assertThat(OpenApiContract.violations(schema, this.bff.get("/dashboard", "Authorization", Tokens.bearer("42")).json())).isEmpty();
		ObjectNode withExtraField = (ObjectNode) EXPECTED.deepCopy();
		((ObjectNode) withExtraField.get("user")).put("email", "ada@example.com");
		assertThat(OpenApiContract.violations(schema, withExtraField)).as("the schema names every field").isNotEmpty();
	}

	@Test
	void payloadIsMateriallySmallerThanWebsForTheSameData() {
		int mobile = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID))
			.body()
			.getBytes(StandardCharsets.UTF_8).length;
		int web = WebDashboardScenariosTest.expectedDashboard(List.of())
			.toString()
			.getBytes(StandardCharsets.UTF_8).length;

		// measured: 383 of 637 bytes (0.60) with the contract's 3 activities; web also carries up to 20
		// activities with their summaries where mobile keeps 5 without, so real feeds widen the gap
		assertThat((double) mobile / web).isLessThan(0.65);
	}

	@ParameterizedTest
	@ValueSource(strings = { "activity", "account" })
	void anOptionalSectionDegradesAsOnWeb(String dependency) {
		Downstreams.of(dependency).stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)));

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get(dependency).isNull()).isTrue();
		assertThat(response.json().get("degraded").toString()).isEqualTo("[\"" + dependency + "\"]");
	}

	@Test
	void withoutTheUserTheDashboardIsUnavailable() {
		Downstreams.USER.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)));

		Bff.Response response = this.bff.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));

		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
	}

}
