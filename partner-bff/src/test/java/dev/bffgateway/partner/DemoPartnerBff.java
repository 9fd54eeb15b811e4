package dev.bffgateway.partner;

import dev.bffgateway.core.demo.DemoDownstreams;

import org.springframework.boot.SpringApplication;

/**
 * The partner BFF with in-process demo downstreams (README). Lives in test sources so the stubs never ship.
 * The stubs listen on {@code -Ddemo.port} (default 8089; run one demo at a time, or give each its own port).
 */
public final class DemoPartnerBff {

	private DemoPartnerBff() {
	}

	public static void main(String[] args) throws Exception {
		DemoDownstreams.startForDemo();
		// the demo partner: key "demo-partner-key" (only its SHA-256 is configured), 5 requests per second,
		// user id and tier, account status, for a user who delegated a token to the partner's client "demo":
		//   TOKEN=$(curl -s -X POST 'localhost:8089/_demo/token?sub=42&client=demo')
		//   curl -H 'X-Api-Key: demo-partner-key' -H "Authorization: Bearer $TOKEN" localhost:8082/dashboard
		System.setProperty("partner.partners.demo.api-key-sha256", "5f7b2ed74a9736a538a6fb5a5a1a76afdcdd0d177d7fc6e79c6b6843527d848d");
		System.setProperty("partner.partners.demo.rate-limit.limit-for-period", "5");
		System.setProperty("partner.partners.demo.rate-limit.refresh-period", "1s");
		System.setProperty("partner.partners.demo.fields.user", "id,tier");
		System.setProperty("partner.partners.demo.fields.account", "status");
		SpringApplication.run(PartnerBffApplication.class, args);
	}

}
