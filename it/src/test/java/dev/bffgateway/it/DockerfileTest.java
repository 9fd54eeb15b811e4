package dev.bffgateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.bffgateway.core.demo.DemoTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * There is no Docker engine here, so this test does what the Dockerfile does, from the Dockerfile's own lines:
 * its extraction {@code RUN} steps on the jar the build made, its {@code COPY --from=build} layer copies, then
 * its exact {@code ENTRYPOINT} and {@code HEALTHCHECK} commands, with the image's absolute paths mapped into a
 * temporary folder. The container's web-bff must then answer health on its management port only and serve a
 * dashboard to a caller with a token.
 */
class DockerfileTest {

	static final Path ROOT = ProjectFiles.root();

	@TempDir
	Path image;

	Process bff;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.bff != null) {
			this.bff.destroy();
			if (!this.bff.waitFor(20, TimeUnit.SECONDS)) {
				this.bff.destroyForcibly();
			}
		}
	}

	@Test
	void theImageIsNonRootWithAHealthCheckAndContainerAwareMemory() throws IOException {
		List<String> lines = instructions();

		assertThat(lines).anySatisfy((line) -> assertThat(line).matches("USER (?!root\\b)\\S+"));
		assertThat(lines).anySatisfy((line) -> assertThat(line).startsWith("HEALTHCHECK "));
		assertThat(entrypoint()).anySatisfy((flag) -> assertThat(flag).startsWith("-XX:MaxRAMPercentage="))
			.contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
		assertThat(lines).anySatisfy((line) -> assertThat(line).startsWith("ENV ").contains("MALLOC_ARENA_MAX=2"));
		assertThat(lines).filteredOn((line) -> line.startsWith("FROM ")).hasSize(2);
	}

	@Test
	void onlyThePublicPortIsExposedAndTheHealthCheckAsksTheManagementPort() throws IOException {
		Map<String, String> environment = environment("web-bff");
		assertThat(environment).containsKeys("PORT", "MANAGEMENT_PORT");
		assertThat(environment.get("MANAGEMENT_PORT")).isNotEqualTo(environment.get("PORT"));

		assertThat(instructions()).filteredOn((line) -> line.startsWith("EXPOSE "))
			.containsExactly("EXPOSE " + environment.get("PORT"));
		assertThat(String.join(" ", healthcheck())).contains("/dev/tcp/127.0.0.1/${MANAGEMENT_PORT}")
			.doesNotContain("${PORT}")
			.contains("/actuator/health/liveness");
	}

	@Test
	void extractedLayersStartWithTheEntrypointAndAnswerHealth() throws Exception {
		String bffName = "web-bff";
		// the build stage's steps after `mvnw package` (which the reactor has already done)
		for (String line : instructions()) {
			if (line.startsWith("RUN cp ") || line.startsWith("RUN java -Djarmode=tools")) {
				String command = imagePaths(line.substring("RUN ".length())).replace("${BFF}", bffName)
					.replaceFirst("^java ", javaCommand() + " ");
				run(List.of("bash", "-c", command), ROOT);
			}
		}
		// the runtime stage's copies, in order: layers from the build stage, files from the build context
		Pattern copy = Pattern.compile("COPY (--from=build )?(?:--chown=\\S+ )?(\\S+) (\\S+)");
		for (String line : runtimeStage()) {
			Matcher m = copy.matcher(line);
			if (m.matches()) {
				Path source = (m.group(1) != null) ? Path.of(imagePaths(m.group(2))) : ROOT.resolve(m.group(2));
				Path target = Path.of(imagePaths(m.group(3))).toAbsolutePath().normalize();
				// every image path maps into the temporary folder; never write into the project
				assertThat(target.startsWith(this.image.toAbsolutePath())).as(target + " inside the image folder").isTrue();
				copyTree(source, target);
			}
		}
		Map<String, String> environment = new LinkedHashMap<>();
		environment(bffName).forEach((name, value) -> environment.put(name, imagePaths(value)));
		Path app = Path.of(imagePaths("/app"));
		assertThat(app.resolve("app.jar")).isRegularFile();
		assertThat(app.resolve("lib")).isDirectory();

		int port = freePort();
		int managementPort = freePort();
		List<String> entrypoint = new ArrayList<>();
		for (String part : entrypoint()) {
			entrypoint.add(part.equals("java") ? javaCommand() : imagePaths(part));
		}
		Downstreams.healthy();
		ProcessBuilder builder = new ProcessBuilder(entrypoint).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.image.resolve("bff.log").toFile());
		builder.environment().putAll(environment);
		// the image's 8080 and 9090 may be taken here
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
		for (String name : Downstreams.NAMES) {
			builder.environment().put(name.toUpperCase() + "_SERVICE_URL", Downstreams.of(name).baseUrl());
		}
		// what a deployment must give every BFF: the tokens' issuer, audience and signing key
		DemoTokens tokens = DemoTokens.generate();
		Path publicKey = Files.writeString(this.image.resolve("jwt-public.pem"), tokens.publicKeyPem());
		builder.environment().put("GATEWAY_SECURITY_JWT_ISSUER", DemoTokens.ISSUER);
		builder.environment().put("GATEWAY_SECURITY_JWT_AUDIENCES", DemoTokens.AUDIENCE);
		builder.environment().put("GATEWAY_SECURITY_JWT_PUBLICKEYLOCATION", "file:" + publicKey);
		this.bff = builder.start();

		Bff client = new Bff(port);
		Bff management = new Bff(managementPort);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(
				() -> assertThat(management.get("/actuator/health/liveness").body()).contains("\"status\":\"UP\""));
		List<String> healthcheck = healthcheck();
		ProcessBuilder probe = new ProcessBuilder(healthcheck).redirectErrorStream(true);
		probe.environment().put("PORT", Integer.toString(port));
		probe.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
		assertThat(probe.start().waitFor()).as("HEALTHCHECK exit code").isZero();
		assertThat(client.get("/actuator/health/liveness").body()).as("actuator on the public port")
			.doesNotContain("\"status\":\"UP\"");

		var strangler = management.get("/actuator/strangler").json();
		assertThat(strangler.get("source").asString()).isEqualTo(imagePaths("/app/routes/web-bff.yml"));
		assertThat(strangler.get("routes")).isNotEmpty();

		assertThat(client.get("/dashboard", "X-User-Id", Downstreams.USER_ID).status()).as("no token").isEqualTo(401);
		Bff.Response dashboard = client.get("/dashboard", "Authorization",
				"Bearer " + tokens.forUser(Downstreams.USER_ID));
		assertThat(dashboard.status()).isEqualTo(200);
		assertThat(dashboard.json()).isEqualTo(WebDashboardScenariosTest.expectedDashboard(List.of()));
	}

	/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
	static List<String> instructions() throws IOException {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
			if (line.isBlank() || line.stripLeading().startsWith("#")) {
				continue;
			}
			if (line.endsWith("\\")) {
				current.append(line, 0, line.length() - 1).append(' ');
				continue;
			}
			current.append(line);
			instructions.add(current.toString().strip().replaceAll("\\s+", " "));
			current.setLength(0);
		}
		return instructions;
	}

	/** The runtime stage's instructions: from its {@code FROM} on. */
	static List<String> runtimeStage() throws IOException {
		List<String> lines = instructions();
		int runtimeStage = 0;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("FROM ")) {
				runtimeStage = i;
			}
		}
		return lines.subList(runtimeStage, lines.size());
	}

	/** The runtime stage's {@code ENV} variables, with {@code ${BFF}} resolved; image paths as in the image. */
	static Map<String, String> environment(String bffName) throws IOException {
		Map<String, String> environment = new LinkedHashMap<>();
		for (String line : runtimeStage()) {
			if (line.startsWith("ENV ")) {
				for (String assignment : line.substring(4).split(" ")) {
					String[] pair = assignment.split("=", 2);
					environment.put(pair[0], pair[1].replace("${BFF}", bffName));
				}
			}
		}
		return environment;
	}

	static List<String> entrypoint() throws IOException {
		return execForm("ENTRYPOINT ");
	}

	static List<String> healthcheck() throws IOException {
		String line = instructions().stream().filter((l) -> l.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
		return Bff.JSON.readValue(line.substring(line.indexOf("CMD ") + 4), new TypeReference<List<String>>() {
		});
	}

	private static List<String> execForm(String instruction) throws IOException {
		String line = instructions().stream().filter((l) -> l.startsWith(instruction)).findFirst().orElseThrow();
		return Bff.JSON.readValue(line.substring(instruction.length()), new TypeReference<List<String>>() {
		});
	}

	/** The image's absolute paths, inside this test's temporary folder. */
	private String imagePaths(String text) {
		return text.replaceAll("(?<![\\w.$}-])/(tmp|layers|app)\\b", this.image.toString() + "/$1");
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private void run(List<String> command, Path directory) throws IOException, InterruptedException {
		Files.createDirectories(this.image.resolve("tmp"));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
		assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
	}

	private static void copyTree(Path source, Path target) throws IOException {
		Files.createDirectories(target);
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path destination = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(file, destination);
				}
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
