package dev.bffgateway.it;

import java.util.List;

import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a configured proxy ({@code gateway.security.trusted-proxies}, here the loopback address the tests call
 * from), a client's forwarded headers are kept, and the BFF appends its own hop; from any other peer they are
 * dropped ({@link SecurityTest}).
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "gateway.security.trusted-proxies=10.0.0.0/16, 127.0.0.1")
class TrustedProxyTest extends StranglerTestSupport {

	@Test
	void aTrustedProxysForwardedHeadersAreKeptAndExtended() {
		Bff.Response response = this.bff.get("/echo/where", "Authorization", Tokens.bearer("alice"), "X-Forwarded-For",
				"203.0.113.7", "X-Forwarded-Proto", "https");

		assertThat(response.status()).isEqualTo(200);
		List<String> forwardedFor = List.of(Strangled.NEW.findAll(anyRequestedFor(anyUrl())).get(0)
			.getHeader("X-Forwarded-For")
			.split(",\\s*"));
		assertThat(forwardedFor).containsExactly("203.0.113.7", "127.0.0.1");
		assertThat(Strangled.NEW.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("X-Forwarded-Proto"))
			.as("each hop appends its own, as Gateway MVC does for every X-Forwarded-* header")
			.isEqualTo("https,http");
	}

}
