package dev.bffgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import dev.bffgateway.it.RecordingBackend.Recorded;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A faithful proxy: the same requests, byte for byte, sent through nginx ({@code proxy_pass}, HTTP/1.1 keep-alive,
 * unbuffered bodies) and through web-bff's strangler route to one recording backend arrive the same (request line,
 * header lines in order, framing, body), except for the differences routes/README.md lists with their reasons,
 * which are asserted exactly. Skipped only where this machine has no nginx.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProxyFidelityTest extends ContainerTestSupport {

	private static final RecordingBackend BACKEND = new RecordingBackend();

	private static final Path ROUTES = routesFile();

	private static Nginx nginx;

	/** Headers the BFF adds to a proxied request (routes/README.md, What differs from nginx). */
	private static final Set<String> ADDED = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
			"x-forwarded-host", "x-forwarded-port", "x-user-id", "traceparent");

	/**
	 * Headers each proxy writes itself, where it writes them: compared by value, not by place (nginx writes them
	 * first, Apache HttpClient after the client's).
	 */
	private static final Set<String> PLACED = Set.of("host", "content-length", "transfer-encoding");

	/** Headers a client may not set through the BFF (routes/README.md, What is carried). */
	private static final Set<String> DROPPED = Set.of("x-user-id", "x-partner-id", "forwarded", "x-forwarded-for",
			"x-forwarded-host", "x-real-ip");

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("gateway.routes.file", ROUTES::toString);
	}

	private static Path routesFile() {
		return Strangled.routesFile("web-bff.yml", """
					routes:
					  - id: public
					    paths: [/pub/**]
					    legacy-uri: %1$s
					    new-uri: %1$s
					    weight: 0
					    auth: none
					  - id: signed-in
					    paths: [/user/**]
					    legacy-uri: %1$s
					    new-uri: %1$s
					    weight: 0
					""".formatted(BACKEND.baseUrl()));
	}

	@BeforeAll
	static void startNginx() {
		Optional<Path> executable = Nginx.executable();
		assumeTrue(executable.isPresent(), "nginx is not installed here: the proxy fidelity test needs it as the reference");
		nginx = Nginx.proxyingTo(executable.get(), BACKEND.port());
	}

	@AfterAll
	static void stopNginx() throws Exception {
		if (nginx != null) {
			nginx.close();
		}
	}

	/** Nothing left from an earlier test: every request a test sends is recorded before its answer arrives. */
	@BeforeEach
	void nothingPending() {
		BACKEND.clear();
	}

	/** A request exactly as a client writes it (the {@code Host} and {@code Connection: close} lines added). */
	record Request(String name, String method, String target, List<String> headers, byte[] body, boolean chunked) {

		@Override
		public String toString() {
			return this.name;
		}

		boolean expectsContinue() {
			return this.headers.stream().anyMatch((h) -> h.equalsIgnoreCase("Expect: 100-continue"));
		}

	}

	private static Request request(String name, String method, String target, String... headers) {
		return new Request(name, method, target, List.of(headers), new byte[0], false);
	}

	private static Request withBody(String name, String method, String target, byte[] body, String... headers) {
		List<String> all = new ArrayList<>(List.of(headers));
		all.add("Content-Length: " + body.length);
		return new Request(name, method, target, all, body, false);
	}

	private static Request chunked(String name, String method, String target, byte[] body, String... headers) {
		List<String> all = new ArrayList<>(List.of(headers));
		all.add("Transfer-Encoding: chunked");
		return new Request(name, method, target, all, body, true);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static Stream<Request> requests() throws IOException {
		byte[] everyByte = new byte[512];
		IntStream.range(0, everyByte.length).forEach((i) -> everyByte[i] = (byte) i);
		byte[] large = new byte[10 * 1024 * 1024];
		new Random(12).nextBytes(large);
		ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
			gzip.write(utf8("{\"compressed\":true,\"text\":\"" + "ab".repeat(500) + "\"}"));
		}
		String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\n"
				+ "Content-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n"
				+ "\u0000\u0001binary\r\n--XyZ--\r\n";
		return Stream.of(
				request("plain GET", "GET", "/pub/plain"),
				request("encoded path", "GET", "/pub/a%20b/caf%C3%A9/%E2%82%AC/%40x/%3Fq"),
				request("sub-delims and unreserved in path", "GET", "/pub/a+b/$!'()*,=@:~-_.x"),
				request("encoded query", "GET", "/pub/q?q=a%20b&r=a+b&s=%2F%3F%26%3D&t=%7e%7E&u=%e2%82%ac"),
				request("repeated parameters", "GET", "/pub/q?a=1&a=2&b=x&a=3"),
				request("empty values and bare keys", "GET", "/pub/q?a=&b&d="),
				request("empty pairs", "GET", "/pub/q?&x=1&&y&"),
				request("raw sub-delims in query", "GET", "/pub/q?x=a,b;c&y=$!'()*&z=/?:@"),
				request("duplicate and list headers", "GET", "/pub/h", "X-Dup: a", "X-Dup: b", "X-List: 1, 2,3",
						"x-lower: v", "X-MiXeD-Case: V", "X-Empty:", "Accept: text/html, */*;q=0.1",
						"User-Agent: curl/8.5.0"),
				request("cookies", "GET", "/pub/c", "Cookie: a=1; b=\"two words\"", "Cookie: c=3"),
				request("a header named in Connection is hop-by-hop", "GET", "/pub/h", "Connection: X-Hop", "X-Hop: 1",
						"X-Kept: 2"),
				request("HEAD", "HEAD", "/pub/head"),
				request("OPTIONS", "OPTIONS", "/pub/options", "Origin: https://example.org"),
				request("DELETE without a body", "DELETE", "/pub/items/1"),
				withBody("binary octet-stream", "POST", "/pub/upload", everyByte, "Content-Type: application/octet-stream"),
				withBody("url-encoded form", "POST", "/pub/form?q=1&a=0", utf8("a=1&b=%20x+y&a=2&c&d=&%C3%A9=%E2%82%AC"),
						"Content-Type: application/x-www-form-urlencoded"),
				withBody("url-encoded form by PUT", "PUT", "/pub/form", utf8("a=1&a=2"),
						"Content-Type: application/x-www-form-urlencoded; charset=ISO-8859-1"),
				withBody("multipart form", "POST", "/pub/multipart", multipart.getBytes(StandardCharsets.ISO_8859_1),
						"Content-Type: multipart/form-data; boundary=XyZ"),
				withBody("JSON with unicode, no charset", "PUT", "/pub/json", utf8("{\"name\":\"Zoë 😀 €\"}"),
						"Content-Type: application/json"),
				withBody("text with a charset", "PATCH", "/pub/text", "façade".getBytes(StandardCharsets.ISO_8859_1),
						"Content-Type: text/plain;charset=iso-8859-1"),
				withBody("DELETE with a body", "DELETE", "/pub/items", utf8("{\"ids\":[1,2]}"),
						"Content-Type: application/json"),
				withBody("empty body with a length", "POST", "/pub/empty", new byte[0], "Content-Type: text/plain"),
				withBody("body without a type", "POST", "/pub/untyped", utf8("raw")),
				withBody("gzip-compressed body", "POST", "/pub/gzip", gzipped.toByteArray(),
						"Content-Type: application/json", "Content-Encoding: gzip", "Accept-Encoding: gzip, br"),
				withBody("Expect: 100-continue", "POST", "/pub/continue", utf8("after the interim answer"),
						"Content-Type: text/plain", "Expect: 100-continue"),
				chunked("chunked body", "POST", "/pub/chunked", utf8("chunk one, chunk two"),
						"Content-Type: application/octet-stream"),
				withBody("10 MB body", "PUT", "/pub/large", large, "Content-Type: application/octet-stream"),
				request("bearer token on a user route", "GET", "/user/me?x=1", "Authorization: " + Tokens.bearer("user-7")),
				request("client identity and forwarded headers", "GET", "/pub/id", "X-User-Id: admin",
						"X-Partner-Id: p1", "X-Forwarded-For: 10.9.9.9", "X-Forwarded-Host: evil.example",
						"Forwarded: for=10.9.9.9", "X-Real-IP: 10.9.9.9"),
				request("redirect", "GET", "/pub" + RecordingBackend.REDIRECT));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void arrivesAsThroughNginx(Request request) throws Exception {
		Answer viaNginx = send(nginx.port(), request);
		assertThat(BACKEND.pending()).as("requests through nginx, answered %s", viaNginx.head()).isOne();
		Recorded throughNginx = BACKEND.take();
		Answer viaBff = send(this.port, request);
		assertThat(BACKEND.pending()).as("requests through the BFF, answered %s", viaBff.head()).isOne();
		Recorded throughBff = BACKEND.take();

		assertThat(viaBff.status()).isEqualTo(viaNginx.status());
		assertThat(throughBff.requestLine()).isEqualTo(throughNginx.requestLine());
		assertThat(otherHeaders(throughBff, ADDED)).as("headers")
			.containsExactlyElementsOf(expectedThroughBff(request, throughNginx));
		assertThat(throughBff.values("Host")).isEqualTo(throughNginx.values("Host"));
		if (request.chunked()) {
			// a difference: streamed as it comes; nginx sends a body it has already wholly read with a length
			assertThat(throughBff.framing()).isEqualTo("chunked");
			assertThat(throughBff.values("Transfer-Encoding")).containsExactly("chunked");
			assertThat(throughBff.values("Content-Length")).isEmpty();
		}
		else {
			assertThat(throughBff.framing()).isEqualTo(throughNginx.framing());
			assertThat(throughBff.values("Transfer-Encoding")).isEqualTo(throughNginx.values("Transfer-Encoding"));
			assertThat(throughBff.values("Content-Length")).isEqualTo(throughNginx.values("Content-Length"));
		}
		assertThat(throughBff.body()).isEqualTo(throughNginx.body());
		assertAddedByTheBff(throughBff, request.target().startsWith("/user/"));
	}

	/** nginx's header lines with the BFF's listed differences applied: what the BFF must send, in this order. */
	private static List<String> expectedThroughBff(Request request, Recorded throughNginx) {
		Set<String> namedInConnection = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		request.headers()
			.stream()
			.filter((line) -> name(line).equals("connection"))
			.forEach((line) -> Stream.of(line.substring(line.indexOf(':') + 1).split(","))
				.map(String::trim)
				.forEach(namedInConnection::add));
		List<String> lines = new ArrayList<>();
		List<String> cookies = new ArrayList<>();
		int cookieAt = -1;
		for (String line : otherHeaders(throughNginx, DROPPED)) {
			String name = name(line);
			if (namedInConnection.contains(name)) {
				continue;
			}
			if (name.equals("cookie")) {
				cookieAt = (cookieAt < 0) ? lines.size() : cookieAt;
				cookies.add(line.substring(line.indexOf(':') + 1).trim());
			}
			else {
				lines.add(line);
			}
		}
		if (cookieAt >= 0) {
			lines.add(cookieAt, "Cookie: " + String.join("; ", cookies));
		}
		return lines;
	}

	private void assertAddedByTheBff(Recorded throughBff, boolean userRoute) {
		assertThat(throughBff.values("X-Forwarded-For")).containsExactly("127.0.0.1");
		assertThat(throughBff.values("X-Forwarded-Proto")).containsExactly("http");
		assertThat(throughBff.values("X-Forwarded-Host")).containsExactly("127.0.0.1:" + this.port);
		assertThat(throughBff.values("X-Forwarded-Port")).containsExactly(String.valueOf(this.port));
		assertThat(throughBff.values("Forwarded")).singleElement()
			.asString()
			.matches("proto=http;host=\"127\\.0\\.0\\.1:" + this.port + "\";for=\"127\\.0\\.0\\.1:[0-9]+\"");
		assertThat(throughBff.values("traceparent")).singleElement().asString()
			.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		if (userRoute) {
			assertThat(throughBff.values("X-User-Id")).containsExactly("user-7");
		}
		else {
			assertThat(throughBff.values("X-User-Id")).isEmpty();
		}
	}

	/**
	 * The BFF never sends a request again on its own when the backend closed the connection without answering it
	 * (nginx does, when that connection came from its keep-alive pool).
	 */
	@Test
	void aRequestLeftUnansweredIsNotRetried() throws Exception {
		Request dropped = withBody("dropped", "PUT", "/pub" + RecordingBackend.DROP, utf8("once"),
				"Content-Type: text/plain");

		Answer viaBff = send(this.port, dropped);

		assertThat(viaBff.status()).isEqualTo(502);
		assertThat(BACKEND.pending()).isOne();
		assertThat(BACKEND.take().body()).isEqualTo(utf8("once"));
	}

	/**
	 * Hop-by-hop headers end at the BFF (RFC 9110 §7.6.1; Gateway MVC's list, applied in the proxy's one pass over
	 * the headers), whatever their case; the end-to-end ones around them go on, in order.
	 */
	@Test
	void hopByHopHeadersEndAtTheBff() throws Exception {
		Request hops = request("hop-by-hop", "GET", "/pub/hops", "X-Before: 1", "Keep-Alive: timeout=5", "te: trailers",
				"Trailer: X-Checksum", "Proxy-Authorization: Basic eDp5", "PROXY-AUTHENTICATE: Basic",
				"X-Application-Context: app", "X-After: 2");

		Answer viaBff = send(this.port, hops);

		assertThat(viaBff.status()).isEqualTo(200);
		assertThat(BACKEND.pending()).isOne();
		Recorded received = BACKEND.take();
		assertThat(otherHeaders(received, ADDED)).as("headers").containsExactly("X-Before: 1", "X-After: 2");
	}

	/** A difference: Tomcat cannot parse a pair with an empty name, so the BFF refuses the query; nginx passes it. */
	@Test
	void aQueryTheContainerCannotParseIsRefused() throws Exception {
		Request emptyName = request("empty name", "GET", "/pub/q?=c&x=1");
		send(nginx.port(), emptyName);
		assertThat(BACKEND.pending()).isOne();
		assertThat(BACKEND.take().requestLine()).isEqualTo("GET /pub/q?=c&x=1 HTTP/1.1");

		Answer viaBff = send(this.port, emptyName);

		assertThat(viaBff.status()).isEqualTo(400);
		assertThat(viaBff.head()).contains("Content-Type: application/problem+json");
		assertThat(BACKEND.pending()).isZero();
	}

	/** A difference: Spring MVC answers a CORS preflight itself (no CORS is configured, so it allows nothing). */
	@Test
	void aCorsPreflightIsAnsweredByTheBffNotForwarded() throws Exception {
		Request preflight = request("CORS preflight", "OPTIONS", "/pub/options", "Origin: https://example.org",
				"Access-Control-Request-Method: PUT");
		send(nginx.port(), preflight);
		assertThat(BACKEND.pending()).isOne();
		BACKEND.take();

		Answer viaBff = send(this.port, preflight);

		assertThat(viaBff.status()).isEqualTo(200);
		assertThat(viaBff.head()).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
		assertThat(BACKEND.pending()).isZero();
	}

	private static String name(String line) {
		return line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
	}

	/** The header lines but {@link #PLACED} and the ones named. */
	private static List<String> otherHeaders(Recorded recorded, Set<String> names) {
		return recorded.headerLines()
			.stream()
			.filter((line) -> !names.contains(name(line)) && !PLACED.contains(name(line)))
			.toList();
	}

	record Answer(int status, String head) {
	}

	private static Answer send(int port, Request request) {
		StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\nHost: 127.0.0.1:"
				+ port + "\r\n");
		request.headers().forEach((line) -> head.append(line).append("\r\n"));
		head.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(head.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			if (request.expectsContinue()) {
				String interim = readHead(in);
				assertThat(interim).startsWith("HTTP/1.1 100");
			}
			if (request.chunked()) {
				byte[] body = request.body();
				int half = body.length / 2;
				writeChunk(out, Arrays.copyOfRange(body, 0, half));
				writeChunk(out, Arrays.copyOfRange(body, half, body.length));
				out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			}
			else {
				out.write(request.body());
			}
			out.flush();
			String answer = readHead(in);
			in.transferTo(OutputStream.nullOutputStream());
			return new Answer(Integer.parseInt(answer.split(" ")[1]), answer);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
		out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
		out.write(chunk);
		out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		int b;
		while (matched < 4 && (b = in.read()) >= 0) {
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r') ? 1 : 0;
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

}
