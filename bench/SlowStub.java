import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The dashboard's three dependencies on one loopback port, keeping the downstream contracts (README): the user and
 * the account answer after 5 ms, the activity service after 20 ms except every 10th request, which takes the slow
 * delay. {@code GET /_count} answers how many activity requests arrived. For bench/hedging.sh.
 *
 * <pre>java bench/SlowStub.java 9301 500</pre>
 */
public final class SlowStub {

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long slowMillis = Long.parseLong(args[1]);
		AtomicLong activity = new AtomicLong();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			try {
				if (path.equals("/_count")) {
					send(exchange, Long.toString(activity.get()));
				}
				else if (path.endsWith("/activity")) {
					long n = activity.incrementAndGet();
					Thread.sleep((n % 10 == 0) ? slowMillis : 20);
					send(exchange, "{\"userId\":\"u-42\",\"items\":[{\"id\":\"a1\",\"type\":\"login\",\"at\":\"2026-11-25T08:12:00Z\"}]}");
				}
				else if (path.startsWith("/accounts/")) {
					Thread.sleep(5);
					send(exchange, "{\"id\":\"u-42\",\"status\":\"active\"}");
				}
				else {
					Thread.sleep(5);
					send(exchange, "{\"id\":\"u-42\",\"name\":\"Ada Lovelace\"}");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		server.start();
	}

	private static void send(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
