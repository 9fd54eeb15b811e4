package dev.bffgateway.core.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * In-process stand-ins for the user, activity and account services, for the demo only: they live in test
 * sources and never ship in a BFF's jar. They serve the downstream contract of the README over real HTTP
 * on 127.0.0.1, and each can be switched at runtime to misbehave so degradation can be seen:
 *
 * <pre>
 * curl -X POST localhost:8089/_demo/account/slow   # answers after 3 s
 * curl -X POST localhost:8089/_demo/account/fail   # answers 500
 * curl -X POST localhost:8089/_demo/account/ok     # healthy again
 * </pre>
 *
 * They are also the demo's identity provider ({@link DemoTokens}): the JWKS at {@code /.well-known/jwks.json}
 * and a token for any user, {@code curl -s -X POST 'localhost:8089/_demo/token?sub=42'} (optional
 * {@code client=...} for a partner's delegated token, {@code scope=...}).
 */
public final class DemoDownstreams implements AutoCloseable {

	/** How a stub currently behaves. */
	public enum Mode {

		OK, SLOW, FAIL

	}

	private static final Pattern USER = Pattern.compile("/users/([^/]+)");

	private static final Pattern ACTIVITY = Pattern.compile("/users/([^/]+)/activity");

	private static final Pattern ACCOUNT = Pattern.compile("/accounts/([^/]+)");

	private static final Pattern STRANGLED = Pattern.compile("/(legacy|new)(/.*)");

	private static final Pattern CONTROL = Pattern.compile("/_demo/(user|activity|account)/(ok|slow|fail)");

	private static final Pattern QUERY = Pattern.compile("(?:^|&)(sub|client|scope)=([A-Za-z0-9_:.-]{1,64})");

	private static final Duration SLOW = Duration.ofSeconds(3);

	private final Map<String, Mode> modes = new ConcurrentHashMap<>(
			Map.of("user", Mode.OK, "activity", Mode.OK, "account", Mode.OK));

	private final HttpServer server;

	private final DemoTokens tokens = DemoTokens.generate();

	private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();

	private DemoDownstreams(HttpServer server) {
		this.server = server;
	}

	/**
	 * Starts the stubs.
	 * @param port the port on 127.0.0.1, or 0 for any free one
	 * @return the running stubs
	 * @throws IOException if the port cannot be bound
	 */
	public static DemoDownstreams start(int port) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		DemoDownstreams stubs = new DemoDownstreams(server);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", stubs::handle);
		server.start();
		return stubs;
	}

	/**
	 * Starts the stubs for a BFF's demo launcher on {@code -Ddemo.port} (default 8089) and points the BFF's
	 * {@code USER_SERVICE_URL}, {@code ACTIVITY_SERVICE_URL} and {@code ACCOUNT_SERVICE_URL} at them.
	 * @return the running stubs
	 * @throws IOException if the port cannot be bound
	 */
	public static DemoDownstreams startForDemo() throws IOException {
		DemoDownstreams stubs = start(Integer.getInteger("demo.port", 8089));
		for (String service : new String[] { "USER", "ACTIVITY", "ACCOUNT" }) {
			System.setProperty(service + "_SERVICE_URL", stubs.baseUrl());
		}
		System.setProperty("gateway.security.jwt.issuer", DemoTokens.ISSUER);
		System.setProperty("gateway.security.jwt.audiences", DemoTokens.AUDIENCE);
		System.setProperty("gateway.security.jwt.jwk-set-uri", stubs.baseUrl() + "/.well-known/jwks.json");
		return stubs;
	}

	/** @return the base URL all three services answer on */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** @return the demo identity provider */
	public DemoTokens tokens() {
		return this.tokens;
	}

	/** Switches one service's behaviour. */
	public void mode(String service, Mode mode) {
		this.modes.put(service, mode);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			answer(exchange);
			exchange.close();
		}
		catch (Answered later) {
			// the exchange is closed by whoever answers it later
		}
	}

	/** Thrown when an exchange will be answered later and must stay open. */
	private static final class Answered extends RuntimeException {

		Answered() {
			super(null, null, false, false);
		}

	}

	private void answer(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		Matcher control = CONTROL.matcher(path);
		if (control.matches() && "POST".equals(exchange.getRequestMethod())) {
			mode(control.group(1), Mode.valueOf(control.group(2).toUpperCase(Locale.ROOT)));
			send(exchange, 200, "{\"" + control.group(1) + "\":\"" + control.group(2) + "\"}");
			return;
		}
		if (path.equals("/.well-known/jwks.json")) {
			send(exchange, 200, this.tokens.jwks());
			return;
		}
		if (path.equals("/_demo/token") && "POST".equals(exchange.getRequestMethod())) {
			send(exchange, 200, token(exchange.getRequestURI().getRawQuery()), "text/plain");
			return;
		}
		if (!"GET".equals(exchange.getRequestMethod()) && !STRANGLED.matcher(path).matches()) {
			send(exchange, 405, "{\"error\":\"method not allowed\"}");
			return;
		}
		Matcher m;
		if ((m = STRANGLED.matcher(path)).matches()) {
			// the legacy system and its replacement behind the example strangler routes (routes/web-bff.yml)
			send(exchange, 200, "{\"servedBy\":\"" + m.group(1) + "\",\"path\":\"" + m.group(2) + "\"}");
		}
		else if ((m = ACTIVITY.matcher(path)).matches()) {
			serve(exchange, "activity", activity(m.group(1)));
		}
		else if ((m = USER.matcher(path)).matches()) {
			serve(exchange, "user", user(m.group(1)));
		}
		else if ((m = ACCOUNT.matcher(path)).matches()) {
			serve(exchange, "account", account(m.group(1)));
		}
		else {
			send(exchange, 404, "{\"error\":\"not found\"}");
		}
	}

	private void serve(HttpExchange exchange, String service, String body) throws IOException {
		switch (this.modes.get(service)) {
			case FAIL -> send(exchange, 500, "{\"error\":\"demo failure\"}");
			case SLOW -> {
				// answered later from a timer, like WireMock's fixed delay: no thread waits meanwhile
				this.delays.schedule(() -> {
					try (exchange) {
						send(exchange, 200, body);
					}
					catch (IOException ex) {
						// the BFF gave up waiting and closed the connection: nothing to answer
					}
				}, SLOW.toMillis(), TimeUnit.MILLISECONDS);
				throw new Answered();
			}
			case OK -> send(exchange, 200, body);
		}
	}

	/** A demo token: {@code sub} (default 42), optional {@code client} (azp) and {@code scope}. */
	private String token(String query) {
		Map<String, String> parameters = new java.util.HashMap<>();
		Matcher m = QUERY.matcher((query != null) ? query : "");
		while (m.find()) {
			parameters.put(m.group(1), m.group(2));
		}
		DemoTokens.Token token = this.tokens.token(parameters.getOrDefault("sub", "42"));
		if (parameters.containsKey("client")) {
			token.client(parameters.get("client"));
		}
		if (parameters.containsKey("scope")) {
			token.scope(parameters.get("scope"));
		}
		return token.sign() + "\n";
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		send(exchange, status, body, "application/json");
	}

	private static void send(HttpExchange exchange, int status, String body, String contentType) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	static String user(String id) {
		return """
				{"id":"%s","name":"Ada Lovelace","email":"ada@example.com",\
				"avatarUrl":"https://cdn.example.com/avatars/%s.png","tier":"gold","locale":"en-GB"}"""
			.formatted(id, id);
	}

	static String activity(String id) {
		return """
				{"userId":"%s","items":[\
				{"id":"a-103","type":"payment","at":"2026-11-25T18:04:00Z","summary":"Paid 42.00 EUR to Bistro"},\
				{"id":"a-102","type":"login","at":"2026-11-25T08:12:00Z","summary":"Signed in from Firefox"},\
				{"id":"a-101","type":"transfer","at":"2026-11-24T16:40:00Z","summary":"Sent 100.00 EUR to savings"}]}"""
			.formatted(id);
	}

	static String account(String id) {
		return """
				{"id":"%s","status":"active","balance":{"amount":"1234.56","currency":"EUR"},\
				"iban":"DE89370400440532013000","openedAt":"2019-03-01"}"""
			.formatted(id);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.delays.shutdownNow();
	}

}
