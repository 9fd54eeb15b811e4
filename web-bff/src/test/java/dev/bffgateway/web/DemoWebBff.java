package dev.bffgateway.web;

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
		DemoDownstreams stubs = DemoDownstreams.start(Integer.getInteger("demo.port", 8089));
		for (String service : new String[] { "USER", "ACTIVITY", "ACCOUNT" }) {
			System.setProperty(service + "_SERVICE_URL", stubs.baseUrl());
		}
		SpringApplication.run(WebBffApplication.class, args);
		System.out.println("""

				Demo downstreams on %1$s. Try:
				  curl -s -H 'X-User-Id: 42' localhost:8080/dashboard
				  curl -s -X POST %1$s/_demo/account/fail     # or slow, ok
				""".formatted(stubs.baseUrl()));
	}

}
