package dev.bffgateway.partner;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The partner BFF boots on gateway-core and answers health without a key (its policy is tested in it/). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "USER_SERVICE_URL=http://127.0.0.1:9", "ACTIVITY_SERVICE_URL=http://127.0.0.1:9",
				"ACCOUNT_SERVICE_URL=http://127.0.0.1:9" })
class PartnerBffApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void bootsAndAnswersHealth() throws Exception {
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
		assertThat(this.context.getEnvironment().getProperty("spring.application.name")).isEqualTo("partner-bff");
	}

}
