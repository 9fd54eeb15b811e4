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

	private static final String[] VALID = { "--server.port=0",
			"--gateway.dependencies.instances.user.base-url=http://127.0.0.1:1",
			"--gateway.dependencies.instances.activity.base-url=http://127.0.0.1:1",
			"--gateway.dependencies.instances.account.base-url=http://127.0.0.1:1" };

	@Test
	void outOfRangeBreakerSettingStopsStartup(CapturedOutput output) {
		assertThatThrownBy(() -> start("--gateway.dependencies.instances.account.breaker.failure-rate-threshold=140"))
			.isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("gateway.dependencies.instances.account.breaker.failure-rate-threshold must be in (0, 100], "
					+ "but was 140.0");
	}

	@Test
	void missingBaseUrlStopsStartup() {
		assertThatThrownBy(() -> SpringApplication.run(WebBffApplication.class, "--server.port=0"))
			.rootCause()
			.hasMessageStartingWith("gateway.dependencies.instances.user.base-url must be set");
	}

	@Test
	void nonPositiveDeadlineStopsStartup(CapturedOutput output) {
		assertThatThrownBy(() -> start("--gateway.dashboard.deadline=0s")).isNotNull();
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
