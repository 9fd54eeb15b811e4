package dev.bffgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A BFF as its own operating-system process, from the executable jar the build made ({@code <bff>/target/*-exec.jar}),
 * on a free loopback port: so a test can kill it the way a crash or an OOM kill does ({@code SIGKILL}, no shutdown
 * hook, nothing flushed) and start it again.
 */
final class BffProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private BffProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts a BFF and waits until its port answers.
	 * @param bff the module, e.g. {@code web-bff}
	 * @param port the port to serve on
	 * @param arguments Spring arguments, {@code --key=value}
	 * @param environment environment variables added to this JVM's
	 */
	static BffProcess start(String bff, int port, List<String> arguments, Map<String, String> environment) {
		Path jar = jar(bff);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port));
		command.addAll(arguments);
		try {
			Path log = Files.createTempFile(bff, ".log");
			log.toFile().deleteOnExit();
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			Process process = builder.start();
			BffProcess started = new BffProcess(process, port, log);
			try {
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("the BFF exited: " + started.output());
					}
					try (Socket socket = new Socket("127.0.0.1", port)) {
						return true;
					}
				});
			}
			catch (RuntimeException ex) {
				process.destroyForcibly();
				throw new IllegalStateException("the BFF did not start: " + started.output(), ex);
			}
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path jar(String bff) {
		Path target = ProjectFiles.root().resolve(bff).resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((f) -> f.getFileName().toString().endsWith("-exec.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no executable jar in " + target + ": build it first"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	/** Kills it as a crash would: SIGKILL, no shutdown hook runs. */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no output)";
		}
	}

	@Override
	public void close() {
		kill();
	}

}
