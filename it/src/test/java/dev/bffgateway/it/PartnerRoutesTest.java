package dev.bffgateway.it;

import dev.bffgateway.partner.PartnerBffApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * partner-bff's strangler routes: a partner needs its key and (for user data) a token delegated to it, and a
 * route's JSON answers carry only the fields on the partner's allow-list for that route, failing closed, unless
 * the route says {@code shape: passthrough}.
 */
@SpringBootTest(classes = PartnerBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "partner.partners.acme.rate-limit.limit-for-period=1000",
				"partner.partners.acme.rate-limit.refresh-period=1s", "partner.partners.acme.fields.orders=id,status,lines[].sku",
				"partner.partners.tiny.rate-limit.limit-for-period=1000", "partner.partners.tiny.rate-limit.refresh-period=1s" })
class PartnerRoutesTest extends ContainerTestSupport {

	static final String ORDER = """
			{"id":"o-1","status":"shipped","customerEmail":"ada@example.com","internalNote":"VIP",
			 "lines":[{"sku":"b-1","cost":"3.10"},{"sku":"b-2","cost":"9.99"}]}""";

	@DynamicPropertySource
	static void partnersAndRoutes(DynamicPropertyRegistry registry) {
		registry.add("partner.partners.acme.api-key-sha256", () -> PartnerDashboardTest.sha256(PartnerDashboardTest.ACME_KEY));
		registry.add("partner.partners.tiny.api-key-sha256", () -> PartnerDashboardTest.sha256(PartnerDashboardTest.TINY_KEY));
		registry.add("gateway.routes.file", PartnerRoutesTest::routesFile);
	}

	static String routesFile() {
		return Strangled.routesFile("partner-bff.yml", """
					routes:
					  - id: orders
					    paths: [/orders/**]
					    legacy-uri: %1$s
					    new-uri: %1$s
					    weight: 0
					    sticky: { header: X-Partner-Id }
					  - id: reports
					    paths: [/reports/**]
					    legacy-uri: %1$s
					    new-uri: %1$s
					    weight: 0
					  - id: catalog
					    paths: [/catalog/**]
					    legacy-uri: %1$s
					    new-uri: %1$s
					    weight: 0
					    auth: none
					    shape: passthrough
					""".formatted(Strangled.LEGACY.baseUrl())).toString();
	}

	@BeforeEach
	void legacy() {
		Strangled.healthy();
		Strangled.LEGACY.stubFor(get(urlPathEqualTo("/orders/o-1")).atPriority(1).willReturn(okJson(ORDER)));
		Strangled.LEGACY.stubFor(get(urlPathEqualTo("/reports/r-1")).atPriority(1)
			.willReturn(aResponse().withHeader("Content-Type", "text/csv").withBody("id,email\no-1,ada@example.com\n")));
		Strangled.LEGACY.stubFor(get(urlPathEqualTo("/catalog/c-1")).atPriority(1).willReturn(okJson(ORDER)));
	}

	@Test
	void aPartnerSeesOnlyTheRouteFieldsOnItsAllowList() {
		Bff.Response response = this.bff.get("/orders/o-1", "X-Api-Key", PartnerDashboardTest.ACME_KEY, "Authorization",
				Tokens.delegated("42", PartnerDashboardTest.ACME));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(Bff.JSON
			.readTree("{\"id\":\"o-1\",\"status\":\"shipped\",\"lines\":[{\"sku\":\"b-1\"},{\"sku\":\"b-2\"}]}"));
		assertThat(response.raw().headers().firstValue("Content-Length")).contains(Integer.toString(response.body().length()));
		assertThat(Strangled.LEGACY.findAll(anyRequestedFor(anyUrl()))).singleElement().satisfies((request) -> {
			assertThat(request.getHeader("X-Partner-Id")).isEqualTo("acme");
			assertThat(request.getHeader("X-User-Id")).isEqualTo("42");
			assertThat(request.containsHeader("X-Api-Key")).isFalse();
		});
	}

	@Test
	void aPartnerWithoutAnAllowListForTheRouteSeesNothing() {
		Bff.Response response = this.bff.get("/orders/o-1", "X-Api-Key", PartnerDashboardTest.TINY_KEY, "Authorization",
				Tokens.delegated("42", PartnerDashboardTest.TINY));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(Bff.JSON.readTree("{}"));
	}

	@Test
	void anAnswerThatIsNotJsonIsWithheld() {
		Bff.Response response = this.bff.get("/reports/r-1", "X-Api-Key", PartnerDashboardTest.ACME_KEY, "Authorization",
				Tokens.delegated("42", PartnerDashboardTest.ACME));

		assertThat(response.status()).isEqualTo(502);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.body()).doesNotContain("ada@example.com");
	}

	@Test
	void aPassthroughRouteIsNotShapedAndAPublicOneNeedsOnlyTheKey() {
		Bff.Response response = this.bff.get("/catalog/c-1", "X-Api-Key", PartnerDashboardTest.ACME_KEY);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(Bff.JSON.readTree(ORDER));
		assertThat(this.bff.get("/catalog/c-1").status()).as("but the key it needs").isEqualTo(401);
	}

	@Test
	void aKeyAloneDoesNotReachAUserRoute() {
		Bff.Response response = this.bff.get("/orders/o-1", "X-Api-Key", PartnerDashboardTest.ACME_KEY, "X-User-Id", "42");

		assertThat(response.status()).isEqualTo(401);
		assertThat(Strangled.LEGACY.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

}
