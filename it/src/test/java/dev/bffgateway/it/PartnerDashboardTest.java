package dev.bffgateway.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.bffgateway.partner.PartnerBffApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * partner-bff: API-key authentication, per-partner rate limits, and a dashboard shaped by each partner's
 * field allow-list, failing closed.
 */
@SpringBootTest(classes = PartnerBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "partner.partners.acme.rate-limit.limit-for-period=1000",
				"partner.partners.acme.rate-limit.refresh-period=1s", "partner.partners.acme.fields.user=id,tier",
				"partner.partners.acme.fields.account=status", "partner.partners.tiny.rate-limit.limit-for-period=2",
				"partner.partners.tiny.rate-limit.refresh-period=1h", "partner.partners.tiny.fields.user=id" })
@ExtendWith(OutputCaptureExtension.class)
class PartnerDashboardTest extends ContainerTestSupport {

	static final String ACME_KEY = "acme-7f3c9b2e-live-key";

	static final String TINY_KEY = "tiny-01d5a8c4-live-key";

	/** The partners' OAuth clients: their ids, as no client-id is configured. */
	static final String ACME = "acme";

	static final String TINY = "tiny";

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) {
		registry.add("partner.partners.acme.api-key-sha256", () -> sha256(ACME_KEY));
		registry.add("partner.partners.tiny.api-key-sha256", () -> sha256(TINY_KEY));
	}

	static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aPartnerSeesOnlyTheFieldsOnItsAllowList(CapturedOutput output) {
		Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", Tokens.delegated(Downstreams.USER_ID, ACME));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json())
			.isEqualTo(Bff.JSON.readTree("{\"user\":{\"id\":\"42\",\"tier\":\"gold\"},\"account\":{\"status\":\"active\"},"
					+ "\"degraded\":[]}"));
		assertThat(output).doesNotContain(ACME_KEY);
	}

	@Test
	void aPersonalFieldADependencyAddsLaterNeverReachesAPartner() {
		Downstreams.USER.stubFor(get(urlPathEqualTo("/users/42")).atPriority(1)
			.willReturn(okJson("{\"id\":\"42\",\"tier\":\"gold\",\"name\":\"Ada Lovelace\",\"nationalId\":\"AB123456C\","
					+ "\"email\":\"ada@example.com\"}")));

		Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", Tokens.delegated(Downstreams.USER_ID, ACME));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("user")).isEqualTo(Bff.JSON.readTree("{\"id\":\"42\",\"tier\":\"gold\"}"));
		assertThat(response.body()).doesNotContain("AB123456C").doesNotContain("ada@example.com");
	}

	@Test
	void missingOrUnknownKeysAreUnauthorized() {
		for (Bff.Response response : new Bff.Response[] { this.bff.get("/dashboard", "Authorization", Tokens.bearer("42")),
				this.bff.get("/dashboard", "X-Api-Key", "not-a-key", "Authorization", Tokens.bearer("42")),
				this.bff.get("/orders/1", "X-Api-Key", "") }) {
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(value) -> assertThat(value).startsWith("ApiKey "));
		}
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void aPartnerOverItsRateLimitGetsTooManyRequestsWithRetryAfter() {
		// tiny may make 2 requests an hour; no other test here uses its key
		for (int i = 0; i < 2; i++) {
			Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", TINY_KEY, "Authorization", Tokens.delegated("42", TINY));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("user")).isEqualTo(Bff.JSON.readTree("{\"id\":\"42\"}"));
		}

		Bff.Response refused = this.bff.get("/dashboard", "X-Api-Key", TINY_KEY, "Authorization", Tokens.delegated("42", TINY));

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
		assertThat(refused.json()).isEqualTo(Bff.JSON.readTree("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\","
				+ "\"status\":429,\"detail\":\"Rate limit of partner 'tiny' exceeded.\"}"));
		assertThat(refused.raw().headers().firstValue("Retry-After")).as("the limiter's refresh period, 1h").contains("3600");
		assertThat(this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", Tokens.delegated("42", ACME)).status())
			.as("another partner's limit is its own")
			.isEqualTo(200);
	}

	@Test
	void aPartnerIdTheClientSendsIsNotBelieved() {
		Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization",
				Tokens.delegated(Downstreams.USER_ID, ACME), "X-Partner-Id", TINY);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).as("shaped for the key's partner")
			.isEqualTo(Bff.JSON.readTree("{\"user\":{\"id\":\"42\",\"tier\":\"gold\"},\"account\":{\"status\":\"active\"},"
					+ "\"degraded\":[]}"));
		assertThat(this.bff.get("/dashboard", "X-Partner-Id", ACME, "Authorization", Tokens.delegated(Downstreams.USER_ID, ACME))
			.status()).as("and it is no key").isEqualTo(401);
	}

	@Test
	void realResponsesMatchThePublishedOpenApiSchema() {
		var schema = OpenApiContract.dashboardSchema(this.bff, "200", "application/json");

		assertThat(OpenApiContract.violations(schema,
				this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", Tokens.delegated("42", ACME)).json())).isEmpty();
	}

	@Test
	void aKeyAloneDoesNotReadAUsersData() {
		Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "X-User-Id", "42");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void aTokenDelegatedToAnotherPartnerIsForbidden() {
		for (String token : new String[] { Tokens.delegated("42", TINY), Tokens.bearer("42") }) {
			Bff.Response response = this.bff.get("/dashboard", "X-Api-Key", ACME_KEY, "Authorization", token);

			assertThat(response.status()).isEqualTo(403);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
		}
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void aPathThatOnlyLooksLikeAnExemptOneStillNeedsAKey() {
		for (String path : new String[] { "/v3/api-docs/../dashboard", "/actuator/../dashboard", "/v3/api-docs/%2e%2e/dashboard" }) {
			Edge.Response response = RawHttp.send(this.port, "GET", path, "Authorization", Tokens.delegated("42", ACME));
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
		}
		assertThat(this.bff.get("/v3/api-docs").status()).as("the API description is public").isEqualTo(200);
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void healthOnTheManagementPortNeedsNoKey() {
		assertThat(this.management.get("/actuator/health").status()).isEqualTo(200);
	}

}
