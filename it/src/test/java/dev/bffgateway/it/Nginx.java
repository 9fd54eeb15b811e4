package dev.bffgateway.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * nginx as the reference reverse proxy: {@code proxy_pass} to one backend over HTTP/1.1 with pooled keep-alive
 * connections and unbuffered (streamed) request bodies, on a free loopback port, from a generated configuration.
 * The {@code Host} sent is the backend's own authority, as {@code proxy_pass http://host:port} sends by default
 * (named explicitly here because the keep-alive pool needs an {@code upstream} block, whose name it would send).
 */
final class Nginx implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path dir;

	private Nginx(Process process, int port, Path dir) {
		this.process = process;
		this.port = port;
		this.dir = dir;
	}

	/** @return nginx's executable, if this machine has one */
	static Optional<Path> executable() {
		Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
		return Stream.concat(Stream.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"), path)
			.map((dir) -> Path.of(dir, "nginx"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/** Starts nginx proxying every path to {@code backendPort} on 127.0.0.1, and waits until it listens. */
	static Nginx proxyingTo(Path executable, int backendPort) {
		try {
			int port = freePort();
			Path dir = Files.createTempDirectory("nginx");
			String temp = dir.toAbsolutePath().toString();
			Files.writeString(dir.resolve("nginx.conf"), """
					daemon off;
					master_process off;
					worker_processes 1;
					pid %1$s/nginx.pid;
					error_log %1$s/error.log warn;
					events { worker_connections 64; }
					http {
					  access_log off;
					  client_body_temp_path %1$s/body;
					  proxy_temp_path %1$s/proxy;
					  fastcgi_temp_path %1$s/fastcgi;
					  uwsgi_temp_path %1$s/uwsgi;
					  scgi_temp_path %1$s/scgi;
					  client_max_body_size 20m;
					  upstream backend {
					    server 127.0.0.1:%2$d;
					    keepalive 8;
					  }
					  server {
					    listen 127.0.0.1:%3$d;
					    location / {
					      proxy_pass http://backend;
					      proxy_http_version 1.1;
					      proxy_set_header Connection "";
					      proxy_set_header Host 127.0.0.1:%2$d;
					      proxy_request_buffering off;
					    }
					  }
					}
					""".formatted(temp, backendPort, port));
			Process process = new ProcessBuilder(executable.toString(), "-p", temp, "-c", temp + "/nginx.conf")
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("stdout.log").toFile())
				.start();
			Nginx nginx = new Nginx(process, port, dir);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("stdout.log")));
				}
				return listening(port);
			});
			return nginx;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

}
