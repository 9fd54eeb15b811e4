package dev.bffgateway.it;

import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * web-bff serving only its own client's tokens ({@code gateway.security.jwt.clients}): a token a user delegated
 * to a partner is for the partner's API, and must not read the web dashboard (nor skip the partner's key, rate
 * limit and allow-list by going around partner-bff).
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "gateway.security.jwt.clients=web-app")
class ClientBindingTest extends ContainerTestSupport {

	@Test
	void onlyTheConfiguredClientsTokensAreServed() {
		assertThat(this.bff.get("/dashboard", "Authorization", Tokens.delegated(Downstreams.USER_ID, "web-app")).status())
			.isEqualTo(200);

		for (String token : new String[] { Tokens.delegated(Downstreams.USER_ID, "acme"), Tokens.bearer(Downstreams.USER_ID) }) {
			Bff.Response response = this.bff.get("/dashboard", "Authorization", token);

			assertThat(response.status()).isEqualTo(403);
			assertThat(response.json().get("detail").asString()).contains("client");
		}
		assertThat(Downstreams.USER.getAllServeEvents()).hasSize(1);
	}

}
