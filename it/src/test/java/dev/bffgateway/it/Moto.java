package dev.bffgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * moto's server mode ({@code python3 -m moto.server}), a wire-compatible stand-in for AWS services (SSM and DynamoDB here), on
 * a free loopback port; started once per JVM and stopped with it.
 */
final class Moto {

	static final String ENDPOINT = start();

	private Moto() {
	}

	private static String start() {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Process process;
		Path log;
		try {
			log = Files.createTempFile("moto", ".log");
			log.toFile().deleteOnExit();
			process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("moto's server could not start (python3 -m moto.server)", ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
		try {
			// polled on this thread: the condition is code of this class, still being initialised
			await().atMost(Duration.ofSeconds(30)).pollInSameThread().ignoreExceptions().until(() -> {
				try (Socket socket = new Socket("127.0.0.1", port)) {
					return true;
				}
			});
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("moto's server did not answer on port " + port + " (alive: "
					+ process.isAlive() + "): " + read(log), ex);
		}
		// the SDK's default credential chain reads these; moto accepts any
		System.setProperty("aws.accessKeyId", "testing");
		System.setProperty("aws.secretAccessKey", "testing");
		return "http://127.0.0.1:" + port;
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(no output)";
		}
	}

}
