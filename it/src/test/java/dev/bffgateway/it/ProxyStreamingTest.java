package dev.bffgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bffgateway.it.RecordingBackend.Download;
import dev.bffgateway.it.RecordingBackend.Recorded;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The strangler proxy streams bodies in the container, both ways, never holding one whole: of a 10 MiB upload the
 * backend receives 1 MiB while the client still holds back the rest, and of a 10 MiB download the client receives
 * 1 MiB while the backend still holds back the rest. A proxy that buffered a body would pass none of it on before
 * its end, and these tests would fail.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProxyStreamingTest extends ContainerTestSupport {

	private static final int LENGTH = 10 * 1024 * 1024;

	/** Sent before the rest is held back. */
	private static final int FIRST = 2 * 1024 * 1024;

	/** Passed on, at least, while the rest is held back. */
	private static final int PASSED_ON = 1024 * 1024;

	private static final RecordingBackend BACKEND = new RecordingBackend();

	private static final Path ROUTES = Strangled.routesFile("web-bff.yml", """
			routes:
			  - id: public
			    paths: [/pub/**]
			    legacy-uri: %1$s
			    new-uri: %1$s
			    weight: 0
			    auth: none
			""".formatted(BACKEND.baseUrl()));

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("gateway.routes.file", ROUTES::toString);
	}

	@BeforeEach
	void nothingPending() {
		BACKEND.clear();
	}

	@Test
	void anUploadReachesTheBackendBeforeItsEnd() throws Exception {
		byte[] body = random(1);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /pub/large HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + LENGTH
					+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.write(body, 0, FIRST);
			out.flush();

			await().atMost(Duration.ofSeconds(10)).until(() -> BACKEND.bodyBytesReceived() >= PASSED_ON);

			out.write(body, FIRST, LENGTH - FIRST);
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 200 ");
		}
		Recorded received = BACKEND.take();
		assertThat(received.framing()).isEqualTo("length");
		assertThat(received.values("Content-Length")).containsExactly(String.valueOf(LENGTH));
		assertSameBytes(received.body(), body);
	}

	@Test
	void aDownloadReachesTheClientBeforeItsEnd() throws Exception {
		byte[] body = random(2);
		CountDownLatch rest = new CountDownLatch(1);
		BACKEND.answerDownloads(new Download(body, FIRST, rest));
		AtomicLong arrived = new AtomicLong();
		FutureTask<byte[]> download = new FutureTask<>(() -> download(arrived));
		Thread.ofVirtual().start(download);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() >= PASSED_ON);
		}
		finally {
			rest.countDown();
		}
		assertSameBytes(download.get(20, TimeUnit.SECONDS), body);
	}

	/** @return the body of {@code GET /pub/download}, its bytes counted in {@code arrived} as they arrive */
	private byte[] download(AtomicLong arrived) throws IOException, InterruptedException {
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			HttpResponse<InputStream> response = client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/pub" + RecordingBackend.DOWNLOAD))
						.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(LENGTH));
			ByteArrayOutputStream received = new ByteArrayOutputStream(LENGTH);
			try (InputStream in = response.body()) {
				byte[] buffer = new byte[64 * 1024];
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					received.write(buffer, 0, read);
					arrived.addAndGet(read);
				}
			}
			return received.toByteArray();
		}
	}

	private static byte[] random(long seed) {
		byte[] bytes = new byte[LENGTH];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static void assertSameBytes(byte[] actual, byte[] expected) {
		assertThat(actual.length).as("the length").isEqualTo(expected.length);
		assertThat(Arrays.mismatch(actual, expected)).as("the first byte that differs").isEqualTo(-1);
	}

}
