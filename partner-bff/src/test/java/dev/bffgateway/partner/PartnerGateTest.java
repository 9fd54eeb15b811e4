package dev.bffgateway.partner;

import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.security.ClientFilter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The partner gate on its own: real Resilience4j rate limiters, servlet requests from spring-test, no Spring context. */
class PartnerGateTest {

	static final String ACME_KEY = "acme-7f3c9b2e-live-key";

	static final String TINY_KEY = "tiny-01d5a8c4-live-key";

	private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();

	private final PartnerGate gate = new PartnerGate(new PartnerProperties(Map.of("acme", partner(ACME_KEY, 1000, Duration.ofSeconds(1)),
			"tiny", partner(TINY_KEY, 2, Duration.ofHours(1)))), this.limiters);

	@Test
	void aPartnersKeyAdmitsTheRequestAsThatPartnerWithoutTheKey() throws Exception {
		MockHttpServletRequest request = request("/dashboard");
		request.addHeader("X-Api-Key", ACME_KEY);
		Chain chain = new Chain();

		this.gate.filter(request, new MockHttpServletResponse(), chain);

		assertThat(chain.partner).isEqualTo("acme");
		HttpServletRequest passed = chain.request;
		assertThat(passed.getHeader("X-Api-Key")).isNull();
		assertThat(Collections.list(passed.getHeaders("X-Api-Key"))).isEmpty();
		assertThat(passed.getHeader("X-Partner-Id")).isEqualTo("acme");
		assertThat(Collections.list(passed.getHeaderNames())).contains("X-Partner-Id").doesNotContain("X-Api-Key");
	}

	@Test
	void aPartnerIdTheClientSendsIsNeitherBelievedNorPassedOn() throws Exception {
		MockHttpServletRequest named = request("/dashboard");
		named.addHeader("X-Partner-Id", "acme");
		Chain refused = new Chain();
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.gate.filter(named, response, refused);

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(refused.proceeded).isFalse();

		MockHttpServletRequest tiny = request("/dashboard");
		tiny.addHeader("X-Api-Key", TINY_KEY);
		tiny.addHeader("X-Partner-Id", "acme");
		Chain admitted = new Chain();

		this.gate.filter(tiny, new MockHttpServletResponse(), admitted);

		assertThat(admitted.partner).as("the key's partner, not the header's").isEqualTo("tiny");
		assertThat(Collections.list(admitted.request.getHeaders("X-Partner-Id"))).containsExactly("tiny");
	}

	@Test
	void aMissingBlankOrUnknownKeyIsUnauthorized() throws Exception {
		for (String key : new String[] { null, "", " ", "not-a-key", ACME_KEY + " " }) {
			MockHttpServletRequest request = request("/orders/1");
			if (key != null) {
				request.addHeader("X-Api-Key", key);
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			Chain chain = new Chain();

			this.gate.filter(request, response, chain);

			assertThat(response.getStatus()).as("key %s", key).isEqualTo(401);
			assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("ApiKey realm=\"partner-bff\", header=\"X-Api-Key\"");
			assertThat(response.getContentType()).isEqualTo("application/problem+json");
			assertThat(response.getContentAsString()).contains("\"detail\":\"A valid X-Api-Key header is required.\"");
			assertThat(chain.proceeded).isFalse();
		}
	}

	@Test
	void theApiDescriptionNeedsNoKeyAndNamesNoPartner() throws Exception {
		for (String path : new String[] { "/v3/api-docs", "/v3/api-docs/swagger-config" }) {
			Chain chain = new Chain();

			this.gate.filter(request(path), new MockHttpServletResponse(), chain);

			assertThat(chain.proceeded).as(path).isTrue();
			assertThat(chain.partner).as(path).isNull();
		}
	}

	@Test
	void beyondItsRateLimitAPartnerIsToldWhenToRetryFromTheLimitersPeriod() throws Exception {
		assertThat(statusFor(TINY_KEY)).isEqualTo(200);
		assertThat(statusFor(TINY_KEY)).isEqualTo(200);
		MockHttpServletRequest request = request("/dashboard");
		request.addHeader("X-Api-Key", TINY_KEY);
		MockHttpServletResponse response = new MockHttpServletResponse();
		Chain chain = new Chain();

		this.gate.filter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("Retry-After")).isEqualTo("3600");
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"detail\":\"Rate limit of partner 'tiny' exceeded.\"");
		assertThat(chain.proceeded).isFalse();
		assertThat(statusFor(ACME_KEY)).as("another partner's limit is its own").isEqualTo(200);
	}

	@Test
	void retryAfterIsTheRefreshPeriodRoundedUpToWholeSecondsAndAtLeastOne() {
		assertThat(retryAfter(Duration.ofMillis(1500))).isEqualTo(2);
		assertThat(retryAfter(Duration.ofSeconds(1))).isEqualTo(1);
		assertThat(retryAfter(Duration.ofMillis(100))).isEqualTo(1);
		assertThat(retryAfter(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(retryAfter(Duration.ofMinutes(1))).isEqualTo(60);
	}

	private long retryAfter(Duration period) {
		RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
		new PartnerGate(new PartnerProperties(Map.of("p", partner("p-key", 1, period))), registry);
		return PartnerGate.retryAfterSeconds(registry.rateLimiter("p"));
	}

	private int statusFor(String key) throws Exception {
		MockHttpServletRequest request = request("/dashboard");
		request.addHeader("X-Api-Key", key);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.gate.filter(request, response, new Chain());
		return response.getStatus();
	}

	private static MockHttpServletRequest request(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setServletPath(path);
		return request;
	}

	static PartnerProperties.Partner partner(String key, int limitForPeriod, Duration period) {
		return new PartnerProperties.Partner(HexFormat.of().formatHex(PartnerGate.sha256(key)), null,
				new PartnerProperties.RateLimit(limitForPeriod, period), Map.of("user", List.of("id")));
	}

	/** The rest of the chain: records how the gate continued. */
	static final class Chain implements ClientFilter.Chain {

		boolean proceeded;

		@Nullable String partner;

		@Nullable HttpServletRequest request;

		@Override
		public void proceed(HttpServletRequest request, HttpServletResponse response) {
			this.proceeded = true;
			this.request = request;
		}

		@Override
		public void proceedAs(String partner, HttpServletRequest request, HttpServletResponse response) {
			proceed(request, response);
			this.partner = partner;
		}

	}

}
