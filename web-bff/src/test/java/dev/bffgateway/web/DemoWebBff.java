package dev.bffgateway.web;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.bffgateway.core.demo.DemoDownstreams;

import org.springframework.boot.SpringApplication;

/**
 * The web BFF with in-process demo downstreams (README, first command). Lives in test sources so the stubs
 * never ship. The stubs listen on {@code -Ddemo.port} (default 8089).
 */
public final class DemoWebBff {

	private DemoWebBff() {
	}

	public static void main(String[] args) throws Exception {
		DemoDownstreams stubs = DemoDownstreams.startForDemo();
		Path routes = Path.of("..", "routes", "web-bff.yml").toAbsolutePath().normalize();
		if (System.getenv("ROUTES_FILE") == null && Files.isRegularFile(routes)) {
			System.setProperty("gateway.routes.file", routes.toString());
		}
		SpringApplication.run(WebBffApplication.class, args);
		System.out.println("""

				Demo downstreams and identity provider on %1$s. Try:
				  TOKEN=$(curl -s -X POST '%1$s/_demo/token?sub=42')
				  curl -s -H "Authorization: Bearer $TOKEN" localhost:8080/dashboard
				  curl -s -X POST %1$s/_demo/account/fail     # or slow, ok
				  curl -si -H "Authorization: Bearer $TOKEN" localhost:8080/orders/1   # a strangler route: see X-Strangler-Side
				  curl -s localhost:9080/actuator/strangler   # the management port
				Routes: %2$s (edit the weight; it applies within a second)
				""".formatted(stubs.baseUrl(), System.getProperty("gateway.routes.file", "(none)")));
	}

}
