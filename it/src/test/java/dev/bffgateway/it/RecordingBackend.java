package dev.bffgateway.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 backend on a loopback port that records every request as it arrives on the wire: the request line
 * and header lines byte for byte, how the body was framed, and the body (de-chunked). It answers {@code 200}
 * with an empty body and keeps the connection alive, as a real backend does; it sends {@code 100 Continue} to a
 * request that expects it. A request for {@link #REDIRECT} gets a {@code 302}, one for {@link #DROP} a closed
 * connection and no answer, one for {@link #DOWNLOAD} the {@link Download} a test set. Body bytes are counted as
 * they arrive ({@link #bodyBytesReceived()}), before a request is whole.
 */
final class RecordingBackend implements AutoCloseable {

	static final String REDIRECT = "/redirect";

	static final String DROP = "/drop";

	static final String DOWNLOAD = "/download";

	/**
	 * The answer to a request for {@link #DOWNLOAD}: {@code 200} with the body's length, its first
	 * {@code sentAtOnce} bytes at once, the rest once {@code rest} is opened (the connection is closed unfinished if
	 * it is not within 30 s).
	 */
	record Download(byte[] body, int sentAtOnce, CountDownLatch rest) {
	}

	/** One request as the backend received it. */
	record Recorded(String requestLine, List<String> headerLines, String framing, byte[] body) {

		List<String> values(String name) {
			List<String> values = new ArrayList<>();
			for (String line : this.headerLines) {
				int colon = line.indexOf(':');
				if (line.substring(0, colon).equalsIgnoreCase(name)) {
					values.add(line.substring(colon + 1).trim());
				}
			}
			return values;
		}

	}

	private final ServerSocket server;

	private final BlockingQueue<Recorded> recorded = new LinkedBlockingQueue<>();

	private final AtomicLong bodyBytes = new AtomicLong();

	private volatile Download download = new Download(new byte[0], 0, new CountDownLatch(0));

	RecordingBackend() {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread.ofVirtual().start(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/** @return the next request received, waiting up to 10 s */
	Recorded take() throws InterruptedException {
		Recorded next = this.recorded.poll(10, TimeUnit.SECONDS);
		if (next == null) {
			throw new AssertionError("the backend received no request within 10 s");
		}
		return next;
	}

	/** Forgets every request received and not yet taken, and the body bytes counted. */
	void clear() {
		this.recorded.clear();
		this.bodyBytes.set(0);
	}

	/** @return how many body bytes (de-chunked) arrived since {@link #clear()}, counted as they arrive */
	long bodyBytesReceived() {
		return this.bodyBytes.get();
	}

	/** Answers requests for {@link #DOWNLOAD} from now on with this. */
	void answerDownloads(Download download) {
		this.download = download;
	}

	/** @return how many requests were received and not yet taken */
	int pending() {
		return this.recorded.size();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Thread.ofVirtual().start(() -> serve(socket));
			}
			catch (IOException ex) {
				return; // closed
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			while (true) {
				String requestLine = line(in);
				if (requestLine == null) {
					return;
				}
				List<String> headers = new ArrayList<>();
				for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
					headers.add(header);
				}
				Recorded head = new Recorded(requestLine, headers, "none", new byte[0]);
				if (head.values("Expect").stream().anyMatch((v) -> v.equalsIgnoreCase("100-continue"))) {
					out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
					out.flush();
				}
				String framing = "none";
				byte[] body = new byte[0];
				if (head.values("Transfer-Encoding").stream().anyMatch((v) -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
					framing = "chunked";
					body = dechunk(in);
				}
				else if (!head.values("Content-Length").isEmpty()) {
					framing = "length";
					body = body(in, Integer.parseInt(head.values("Content-Length").get(0)));
				}
				this.recorded.add(new Recorded(requestLine, List.copyOf(headers), framing, body));
				String target = requestLine.split(" ")[1];
				if (target.endsWith(DROP)) {
					return;
				}
				if (target.endsWith(DOWNLOAD)) {
					if (!download(out)) {
						return;
					}
					continue;
				}
				String answer = target.endsWith(REDIRECT)
						? "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"
						: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
				out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
			}
		}
		catch (IOException ex) {
			// the peer closed the connection
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** @return whether the whole answer was sent */
	private boolean download(OutputStream out) throws IOException, InterruptedException {
		Download answer = this.download;
		byte[] body = answer.body();
		out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
				+ "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
		out.write(body, 0, answer.sentAtOnce());
		out.flush();
		if (!answer.rest().await(30, TimeUnit.SECONDS)) {
			return false;
		}
		out.write(body, answer.sentAtOnce(), body.length - answer.sentAtOnce());
		out.flush();
		return true;
	}

	/** @return the next {@code length} body bytes (fewer at the end of the stream), counted as they arrive */
	private byte[] body(InputStream in, int length) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream(length);
		byte[] buffer = new byte[64 * 1024];
		while (body.size() < length) {
			int read = in.read(buffer, 0, Math.min(buffer.length, length - body.size()));
			if (read < 0) {
				break;
			}
			body.write(buffer, 0, read);
			this.bodyBytes.addAndGet(read);
		}
		return body.toByteArray();
	}

	private byte[] dechunk(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String size = line(in);
			if (size == null) {
				throw new IOException("connection closed inside a chunked body");
			}
			int length = Integer.parseInt(size.split(";")[0].trim(), 16);
			if (length == 0) {
				for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
					// trailers are not recorded
				}
				return body.toByteArray();
			}
			body.write(body(in, length));
			line(in);
		}
	}

	/** @return the next CRLF-terminated line (ISO-8859-1), or null at the end of the stream */
	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
			}
			line.write(b);
		}
		return null;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
