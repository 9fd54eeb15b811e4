import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * One Lambda cold start, as the runtime would do it: construct the handler (the init phase), then hand it
 * one API Gateway v2 event. Prints the wall-clock time at which the first response was complete and the
 * process's resident memory; bench/lambda-cold-start.sh subtracts the launch time it took before starting
 * the JVM. The dependencies are a JDK HttpServer in this process answering `{"id":"42"}` to everything.
 *
 * <p>With a count of warm invocations, it then hands the same event to the warm handler that many times (the
 * first half a warm-up) and prints the invocation time (event in, response out) and the Lambda edge's overhead:
 * the invocation time less the longest dependency call of that invocation, as the stub measured it (the three
 * calls are made in parallel, so the longest is what the dependencies cost the invocation).
 *
 * Usage: java -cp <package classpath>:<this> ColdStart <handler class> <event.json> [warm invocations]
 */
public final class ColdStart {

	public static void main(String[] args) {
		try {
			run(args);
		}
		catch (Throwable ex) { // the stub's dispatcher thread would keep a failed run alive
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void run(String[] args) throws Exception {
		HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		stub.createContext("/", (exchange) -> {
			long start = System.nanoTime();
			// answers that keep the downstream contracts (README), so the dashboard is whole, not degraded
			String path = exchange.getRequestURI().getPath();
			String json = path.endsWith("/activity")
					? "{\"userId\":\"42\",\"items\":[{\"id\":\"a1\",\"type\":\"login\",\"at\":\"2026-11-25T08:12:00Z\"}]}"
					: path.startsWith("/accounts/") ? "{\"id\":\"42\",\"status\":\"active\"}" : "{\"id\":\"42\"}";
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
			LONGEST_CALL.accumulateAndGet(System.nanoTime() - start, Math::max);
		});
		stub.start();
		String url = "http://127.0.0.1:" + stub.getAddress().getPort();
		for (String service : new String[] { "USER", "ACTIVITY", "ACCOUNT" }) {
			System.setProperty(service + "_SERVICE_URL", url);
		}

		long initStart = System.currentTimeMillis();
		RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
		long initDone = System.currentTimeMillis();
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))), response, null);
		long done = System.currentTimeMillis();

		String text = response.toString(StandardCharsets.UTF_8);
		String status = text.replaceAll("(?s).*\"statusCode\"\\s*:\\s*(\\d+).*", "$1");
		System.out.println("COLDSTART done-epoch-ms=" + done + " status=" + status + " rss-kb=" + rssKb()
				+ " jvm-to-main-ms=" + (initStart - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime())
				+ " init-ms=" + (initDone - initStart) + " first-request-ms=" + (done - initDone));
		int warm = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
		if (warm > 0) {
			warm(handler, Files.readAllBytes(Path.of(args[1])), warm);
		}
		System.exit(0);
	}

	private static final java.util.regex.Pattern OK = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*200\\b");

	private static final java.util.concurrent.atomic.AtomicLong LONGEST_CALL = new java.util.concurrent.atomic.AtomicLong();

	private static void warm(RequestStreamHandler handler, byte[] event, int count) throws Exception {
		long[] invocations = new long[count / 2];
		long[] overheads = new long[count / 2];
		for (int i = 0; i < count; i++) {
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			LONGEST_CALL.set(0);
			long start = System.nanoTime();
			handler.handleRequest(new ByteArrayInputStream(event), response, null);
			long took = System.nanoTime() - start;
			if (!OK.matcher(response.toString(StandardCharsets.UTF_8)).find()) {
				throw new IllegalStateException("warm invocation " + i + " answered: " + response);
			}
			int measured = i - (count - count / 2);
			if (measured >= 0) {
				invocations[measured] = took;
				overheads[measured] = took - LONGEST_CALL.get();
			}
		}
		java.util.Arrays.sort(invocations);
		java.util.Arrays.sort(overheads);
		System.out.printf("WARM invocations=%d p50-ms=%.3f p99-ms=%.3f overhead-p50-ms=%.3f overhead-p99-ms=%.3f%n",
				invocations.length, ms(invocations, 0.50), ms(invocations, 0.99), ms(overheads, 0.50), ms(overheads, 0.99));
	}

	private static double ms(long[] sorted, double quantile) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
	}

	private static long rssKb() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

}
