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
 * temporary folder. The container's web-bff must then answer health and serve a dashboard.
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
		Map<String, String> environment = new LinkedHashMap<>();
		List<String> lines = instructions();
		int runtimeStage = 0;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("FROM ")) {
				runtimeStage = i;
			}
		}
		for (String line : lines.subList(runtimeStage, lines.size())) {
			Matcher m = copy.matcher(line);
			if (m.matches()) {
				Path source = (m.group(1) != null) ? Path.of(imagePaths(m.group(2))) : ROOT.resolve(m.group(2));
				Path target = Path.of(imagePaths(m.group(3))).toAbsolutePath().normalize();
				// every image path maps into the temporary folder; never write into the project
				assertThat(target.startsWith(this.image.toAbsolutePath())).as(target + " inside the image folder").isTrue();
				copyTree(source, target);
			}
			if (line.startsWith("ENV ")) {
				for (String assignment : line.substring(4).split(" ")) {
					String[] pair = assignment.split("=", 2);
					environment.put(pair[0], imagePaths(pair[1].replace("${BFF}", bffName)));
				}
			}
		}
		Path app = Path.of(imagePaths("/app"));
		assertThat(app.resolve("app.jar")).isRegularFile();
		assertThat(app.resolve("lib")).isDirectory();

		int port = freePort();
		List<String> entrypoint = new ArrayList<>();
		for (String part : entrypoint()) {
			entrypoint.add(part.equals("java") ? javaCommand() : imagePaths(part));
		}
		Downstreams.healthy();
		ProcessBuilder builder = new ProcessBuilder(entrypoint).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.image.resolve("bff.log").toFile());
		builder.environment().putAll(environment);
		builder.environment().put("PORT", Integer.toString(port)); // the image's 8080 may be taken here
		for (String name : Downstreams.NAMES) {
			builder.environment().put(name.toUpperCase() + "_SERVICE_URL", Downstreams.of(name).baseUrl());
		}
		this.bff = builder.start();

		Bff client = new Bff(port);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(
				() -> assertThat(client.get("/actuator/health/liveness").body()).contains("\"status\":\"UP\""));
		List<String> healthcheck = healthcheck();
		ProcessBuilder probe = new ProcessBuilder(healthcheck).redirectErrorStream(true);
		probe.environment().put("PORT", Integer.toString(port));
		assertThat(probe.start().waitFor()).as("HEALTHCHECK exit code").isZero();

		var strangler = client.get("/actuator/strangler").json();
		assertThat(strangler.get("source").asString()).isEqualTo(imagePaths("/app/routes/web-bff.yml"));
		assertThat(strangler.get("routes")).isNotEmpty();

		Bff.Response dashboard = client.get("/dashboard", "X-User-Id", Downstreams.USER_ID);
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
