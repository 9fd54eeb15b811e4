import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-model load at a fixed rate, evenly paced: request i is due at start + i / rate, whatever happened to the
 * ones before, and its latency is taken from when it was due, not from when a connection was free to send it (so a
 * stall is charged to every request it delayed: no coordinated omission, as wrk2 measures). hey's fixed rate is per
 * worker and all workers tick together: 200 req/s from 50 workers arrive as 50 at once every 250 ms. Here they
 * arrive one every 5 ms. HTTP/1.1 GETs over keep-alive connections, plain sockets, loopback only.
 *
 * <pre>java bench/Paced.java URL RATE SECONDS [CONNECTIONS] ["Header: value" ...]</pre>
 *
 * Prints {@code <p50 ms> <p99 ms> <requests> <non-2xx or failed>}; exits 1 if any request was not answered 2xx.
 */
public final class Paced {

	public static void main(String[] args) throws Exception {
		URI url = URI.create(args[0]);
		double rate = Double.parseDouble(args[1]);
		double seconds = Double.parseDouble(args[2]);
		int connections = (args.length > 3) ? Integer.parseInt(args[3]) : 64;
		if (!"127.0.0.1".equals(url.getHost())) {
			throw new IllegalArgumentException("loopback only (127.0.0.1), not " + url.getHost());
		}
		StringBuilder head = new StringBuilder("GET ").append(url.getRawPath())
			.append((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "")
			.append(" HTTP/1.1\r\nHost: ").append(url.getAuthority()).append("\r\n");
		for (int i = 4; i < args.length; i++) {
			head.append(args[i]).append("\r\n");
		}
		byte[] request = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);

		int total = (int) Math.round(rate * seconds);
		long period = (long) (1_000_000_000L / rate);
		long[] latencies = new long[total];
		AtomicInteger done = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		BlockingQueue<Integer> due = new ArrayBlockingQueue<>(total + connections);
		long start = System.nanoTime() + 50_000_000L;
		List<Thread> senders = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			senders.add(Thread.ofPlatform().daemon().start(() -> {
				Socket socket = null;
				try {
					while (true) {
						int i = due.take();
						if (i < 0) {
							break;
						}
						try {
							if (socket == null) {
								socket = new Socket();
								socket.setTcpNoDelay(true);
								socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2000);
								socket.setSoTimeout(30_000);
							}
							int status = exchange(socket, request);
							if (status < 200 || status > 299) {
								failed.incrementAndGet();
							}
						}
						catch (IOException | java.io.UncheckedIOException ex) {
							failed.incrementAndGet();
							close(socket);
							socket = null;
						}
						latencies[i] = System.nanoTime() - (start + i * period);
						done.incrementAndGet();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					close(socket);
				}
			}));
		}
		for (int i = 0; i < total; i++) {
			long wait = start + i * period - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			due.add(i);
		}
		for (int c = 0; c < connections; c++) {
			due.add(-1);
		}
		for (Thread sender : senders) {
			sender.join(TimeUnit.SECONDS.toMillis(60));
		}
		Arrays.sort(latencies);
		System.out.printf("%.3f %.3f %d %d%n", latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6,
				done.get(), failed.get());
		System.exit((failed.get() == 0 && done.get() == total) ? 0 : 1);
	}

	/** Sends one request and reads its answer to the end: Content-Length or chunked. */
	private static int exchange(Socket socket, byte[] request) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(request);
		out.flush();
		InputStream in = READERS.computeIfAbsent(socket, (s) -> {
			try {
				return new BufferedInputStream(s.getInputStream(), 8192);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		String status = line(in);
		if (status == null) {
			throw new IOException("connection closed");
		}
		int code = Integer.parseInt(status.split(" ")[1]);
		long length = -1;
		boolean chunked = false;
		for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
			String lower = header.toLowerCase();
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(header.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (chunked) {
			for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
					size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
				skip(in, size);
				line(in);
			}
			for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
				// trailers: none expected
			}
		}
		else if (length > 0) {
			skip(in, length);
		}
		return code;
	}

	/** One buffered reader per socket, kept across its requests. */
	private static final Map<Socket, InputStream> READERS = new ConcurrentHashMap<>();

	private static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b != -1; b = in.read()) {
			if (b == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			line.append((char) b);
		}
		return (line.length() == 0) ? null : line.toString();
	}

	private static void skip(InputStream in, long n) throws IOException {
		while (n > 0) {
			long skipped = in.skip(n);
			if (skipped <= 0) {
				if (in.read() == -1) {
					throw new IOException("body cut short");
				}
				skipped = 1;
			}
			n -= skipped;
		}
	}

	private static void close(Socket socket) {
		if (socket != null) {
			try {
				READERS.remove(socket);
				socket.close();
			}
			catch (IOException ex) {
				// going away
			}
		}
	}

	private Paced() {
	}

}
