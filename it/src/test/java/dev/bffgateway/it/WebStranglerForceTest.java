package dev.bffgateway.it;

import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code gateway.routes.force-override=true}, testers pick the side with {@code X-Strangler-Force}. */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "gateway.routes.force-override=true")
class WebStranglerForceTest extends StranglerTestSupport {

	@Test
	void theForcedSideServesWhateverTheWeightSays() {
		for (int i = 0; i < 20; i++) {
			for (String side : new String[] { "legacy", "new" }) {
				Bff.Response response = this.bff.get("/orders/1", "Authorization", Tokens.bearer("user-" + i), "X-Strangler-Force", side);
				assertThat(response.raw().headers().firstValue("X-Strangler-Side")).contains(side);
				assertThat(response.json().get("servedBy").asString()).isEqualTo(side);
			}
		}
	}

	@Test
	void anUnknownForceValueIsIgnored() {
		Bff.Response plain = this.bff.get("/orders/1", "Authorization", Tokens.bearer("user-3"));
		Bff.Response odd = this.bff.get("/orders/1", "Authorization", Tokens.bearer("user-3"), "X-Strangler-Force", "both");

		assertThat(odd.raw().headers().firstValue("X-Strangler-Side"))
			.isEqualTo(plain.raw().headers().firstValue("X-Strangler-Side"));
	}

}
