package dev.bffgateway.it;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.partner.PartnerBffApplication;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * partner-bff reads its partners' key hashes from SSM Parameter Store (SecureString), as on Lambda, here from
 * moto's SSM: no key in a packaged file.
 */
class PartnerKeysFromSsmTest {

	static final String KEY = "globex-55e1c0de-live-key";

	@Test
	void aPartnerKeyHashStoredInSsmLetsThePartnerIn() {
		String path = "/bff-it/partners-" + System.nanoTime();
		try (SsmClient ssm = SsmClient.builder().endpointOverride(URI.create(Moto.ENDPOINT)).region(Region.EU_WEST_1).build()) {
			ssm.putParameter((put) -> put.name(path + "/globex/api-key-sha256")
				.type(ParameterType.SECURE_STRING)
				.value(PartnerDashboardTest.sha256(KEY)));
			ssm.putParameter((put) -> put.name(path + "/globex/client-id").type(ParameterType.STRING).value("globex-portal"));
		}
		Downstreams.healthy();
		try (ConfigurableApplicationContext app = start(Map.of("partner.keys.ssm-path", path))) {
			Bff bff = new Bff(((WebServerApplicationContext) app).getWebServer().getPort());

			Bff.Response response = bff.get("/dashboard", "X-Api-Key", KEY, "Authorization",
					Tokens.delegated(Downstreams.USER_ID, "globex-portal"));

			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("user")).isEqualTo(Bff.JSON.readTree("{\"id\":\"42\"}"));
			assertThat(bff.get("/dashboard", "X-Api-Key", "not-the-key", "Authorization",
					Tokens.delegated(Downstreams.USER_ID, "globex-portal")).status()).isEqualTo(401);
		}
	}

	@Test
	void anUnreadableStoreStopsStartupNamingThePath() {
		assertThatThrownBy(() -> start(Map.of("partner.keys.ssm-path", "/bff-it/nowhere", "partner.keys.ssm-endpoint",
				"http://127.0.0.1:1"))).hasStackTraceContaining(
						"partner.keys.ssm-path names an SSM path that cannot be read, but was '/bff-it/nowhere'");
	}

	private static ConfigurableApplicationContext start(Map<String, String> settings) {
		Map<String, String> all = new LinkedHashMap<>(LambdaEdges.downstreams());
		all.putAll(Map.of("server.port", "0", "AWS_REGION", "eu-west-1", "partner.keys.ssm-endpoint", Moto.ENDPOINT,
				"partner.partners.globex.rate-limit.limit-for-period", "100",
				"partner.partners.globex.rate-limit.refresh-period", "1s", "partner.partners.globex.fields.user", "id"));
		all.putAll(settings);
		List<String> args = new ArrayList<>();
		all.forEach((key, value) -> args.add("--" + key + "=" + value));
		return SpringApplication.run(PartnerBffApplication.class, args.toArray(String[]::new));
	}

}
