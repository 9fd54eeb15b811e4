package dev.bffgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration stops web-bff at startup, and what it prints names the key and the value. */
@ExtendWith(OutputCaptureExtension.class)
class WebInvalidConfigurationTest {

	private static final String[] VALID = { "--server.port=0", "--management.server.port=0",
			"--gateway.dependencies.instances.user.base-url=http://127.0.0.1:1",
			"--gateway.dependencies.instances.activity.base-url=http://127.0.0.1:1",
			"--gateway.dependencies.instances.account.base-url=http://127.0.0.1:1",
			"--gateway.security.jwt.issuer=https://idp.example", "--gateway.security.jwt.audiences=bff",
			"--gateway.security.jwt.jwk-set-uri=http://127.0.0.1:1/jwks" };

	@Test
	void outOfRangeBreakerSettingStopsStartup(CapturedOutput output) {
		assertThatThrownBy(() -> start("--resilience4j.circuitbreaker.instances.account.failure-rate-threshold=140"))
			.rootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("failureRateThreshold must be between 1 and 100.");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: resilience4j.circuitbreaker.instances.account.failure-rate-threshold")
			.contains("Value: \"140\"")
			.contains("failureRateThreshold must be between 1 and 100");
	}

	@Test
	void missingBaseUrlStopsStartup() {
		assertThatThrownBy(() -> SpringApplication.run(WebBffApplication.class, "--server.port=0",
				"--management.server.port=0", "--gateway.security.jwt.issuer=https://idp.example",
				"--gateway.security.jwt.audiences=bff", "--gateway.security.jwt.jwk-set-uri=http://127.0.0.1:1/jwks"))
			.rootCause()
			.hasMessageStartingWith("gateway.dependencies.instances.user.base-url must be set");
	}

	@Test
	void noTokenIssuerStopsStartup() {
		assertThatThrownBy(() -> SpringApplication.run(WebBffApplication.class, "--server.port=0",
				"--management.server.port=0", "--gateway.dependencies.instances.user.base-url=http://127.0.0.1:1",
				"--gateway.dependencies.instances.activity.base-url=http://127.0.0.1:1",
				"--gateway.dependencies.instances.account.base-url=http://127.0.0.1:1"))
			.rootCause()
			.hasMessageStartingWith("gateway.security.jwt.issuer must be set");
	}

	@Test
	void noSigningKeysStopStartup() {
		assertThatThrownBy(() -> SpringApplication.run(WebBffApplication.class, "--server.port=0",
				"--management.server.port=0", "--gateway.dependencies.instances.user.base-url=http://127.0.0.1:1",
				"--gateway.dependencies.instances.activity.base-url=http://127.0.0.1:1",
				"--gateway.dependencies.instances.account.base-url=http://127.0.0.1:1",
				"--gateway.security.jwt.issuer=https://idp.example", "--gateway.security.jwt.audiences=bff"))
			.rootCause()
			.hasMessageStartingWith("gateway.security.jwt.jwk-set-uri or gateway.security.jwt.public-key-location must be set");
	}

	@Test
	void edgeAuthorizerClaimsAreRefusedOutsideLambda() {
		assertThatThrownBy(() -> start("--gateway.security.jwt.edge-authorizer=true")).rootCause()
			.hasMessage("gateway.security.jwt.edge-authorizer must be false outside the Lambda edge (only API "
					+ "Gateway's authorizer can vouch for claims), but was true");
	}

	@Test
	void aTrustedProxyThatIsNotAnAddressStopsStartup(CapturedOutput output) {
		assertThatThrownBy(() -> start("--gateway.security.trusted-proxies=alb.internal")).rootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("gateway.security.trusted-proxies[0] must be an IP address or CIDR block (e.g. 10.0.0.0/16), "
					+ "but was 'alb.internal'");
		assertThat(output).contains("gateway.security.trusted-proxies[0] must be an IP address or CIDR block "
				+ "(e.g. 10.0.0.0/16), but was 'alb.internal'");
	}

	@Test
	void aRouteClaimingTheDashboardIsRejected(@TempDir Path dir) throws Exception {
		Path routes = dir.resolve("web-bff.yml");
		Files.writeString(routes, Strangled.table(30).replace("[/echo/**]", "[/echo/**, /dashboard]"));

		assertThatThrownBy(() -> start("--gateway.routes.file=" + routes)).rootCause()
			.hasMessage(routes + ": routes[1].paths[1] must not claim the BFF's own path /dashboard, but was '/dashboard'");
	}

	@Test
	void nonPositiveDeadlineStopsStartup(CapturedOutput output) {
		assertThatThrownBy(() -> start("--gateway.dashboard.deadline=0s")).rootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("gateway.dashboard.deadline must be positive, but was 0ms");
		assertThat(output).contains("gateway.dashboard.deadline must be positive, but was 0ms");
	}

	@Test
	void invalidRoutesFileStopsStartup(@TempDir Path dir) throws Exception {
		Path routes = dir.resolve("web-bff.yml");
		Files.writeString(routes, Strangled.table(140));

		assertThatThrownBy(() -> start("--gateway.routes.file=" + routes)).rootCause()
			.hasMessage(routes + ": routes[0].weight must be 0..100, but was 140");
	}

	private static void start(String extra) {
		String[] args = new String[VALID.length + 1];
		System.arraycopy(VALID, 0, args, 0, VALID.length);
		args[VALID.length] = extra;
		SpringApplication.run(WebBffApplication.class, args).close();
	}

}
