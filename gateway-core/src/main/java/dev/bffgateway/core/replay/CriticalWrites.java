package dev.bffgateway.core.replay;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The critical writes of routes that store what no side can take ({@code on-unavailable: store}). Before the call,
 * {@link #admit} checks what a stored request needs: an {@code Idempotency-Key} ({@code 400} without one), a body
 * within {@code max-body-size} ({@code 413}), read whole so it can be stored; and it answers for the key when a
 * request with it was stored already: its status ({@code 202} while it waits, {@code 200} once it is final), never
 * a second request; another request under the same key gets {@code 422}. After a call no side could take,
 * {@link #store} stores it, the item then the queue's trigger, and only then answers {@code 202 Accepted} with
 * {@code Location: /requests/{id}}; a store that fails answers {@code 503} with {@code Retry-After}, never a
 * {@code 202} for a request that is not stored.
 */
public final class CriticalWrites {

	private static final Logger logger = LoggerFactory.getLogger(CriticalWrites.class);

	/** The header a critical write must carry (IETF httpapi draft). */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final int MAX_KEY_LENGTH = 255;

	private final RequestStore store;

	private final ReplayQueue queue;

	private final long maxBodySize;

	private final Clock clock;

	private final MeterRegistry meters;

	CriticalWrites(RequestStore store, ReplayQueue queue, long maxBodySize, Clock clock, MeterRegistry meters) {
		this.store = store;
		this.queue = queue;
		this.maxBodySize = maxBodySize;
		this.clock = clock;
		this.meters = meters;
	}

	/** What {@link #admit} decided. */
	public sealed interface Admission {

	}

	/** The client gets this answer; nothing is sent. */
	public record Answered(ServerResponse response) implements Admission {
	}

	/**
	 * The write may be sent.
	 * @param request the request, its body read and held, to proxy instead of the original
	 * @param pending what {@link #store} stores if no side can take it
	 */
	public record Admitted(ServerRequest request, Pending pending) implements Admission {
	}

	/** A write that may have to be stored. */
	public static final class Pending {

		private final StoredRequest request;

		Pending(StoredRequest request) {
			this.request = request;
		}

	}

	/**
	 * @param route the route, which stores its writes
	 * @param request the write, its body not read yet
	 * @param stickyKey the route's sticky key for this request, or {@code null}
	 * @return an answer for the client, or the write admitted with its body held
	 * @throws IOException if the body cannot be read
	 */
	public Admission admit(Route route, ServerRequest request, @Nullable String stickyKey) throws IOException {
		HttpServletRequest servlet = request.servletRequest();
		String key = servlet.getHeader(IDEMPOTENCY_KEY);
		if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
			return new Answered(problem(HttpStatus.BAD_REQUEST, "A write on this route needs an " + IDEMPOTENCY_KEY
					+ " header (1 to " + MAX_KEY_LENGTH + " characters), so it can be stored and applied once."));
		}
		long declared = servlet.getContentLengthLong();
		if (declared > this.maxBodySize) {
			return new Answered(tooLarge());
		}
		byte[] body = servlet.getInputStream().readNBytes((int) this.maxBodySize + 1);
		if (body.length > this.maxBodySize) {
			return new Answered(tooLarge());
		}
		String owner = Caller.of(servlet).map(Caller::userId).orElse(null);
		String path = request.requestPath().pathWithinApplication().value();
		String query = servlet.getQueryString();
		String method = request.method().name();
		String fingerprint = sha256(method + "\n" + path + "\n" + ((query != null) ? query : "") + "\n",
				body);
		String id = sha256(route.id() + "\n" + ((owner != null) ? owner : "") + "\n" + key + "\n", new byte[0])
			.substring(0, 32);
		StoredRequest existing;
		try {
			existing = this.store.get(id);
		}
		catch (RuntimeException ex) {
			return new Answered(storeUnavailable(route, ex));
		}
		if (existing != null) {
			if (!existing.fingerprint().equals(fingerprint)) {
				return new Answered(problem(HttpStatus.UNPROCESSABLE_CONTENT, "This " + IDEMPOTENCY_KEY
						+ " was used for another request; a new request needs a new key."));
			}
			if (existing.status() == StoredRequest.Status.PENDING) {
				requeue(existing);
			}
			return new Answered(status(existing));
		}
		long now = this.clock.millis();
		String group = (stickyKey != null) ? stickyKey : (owner != null) ? owner : route.id();
		StoredRequest stored = new StoredRequest(id, route.id(), owner, key, method, path, query,
				servlet.getContentType(), body, fingerprint, group, stickyKey, StoredRequest.Status.PENDING, 0, now, now,
				0, 0);
		ServerRequest buffered = ServerRequest.create(new HeldBody(servlet, body), request.messageConverters());
		return new Admitted(buffered, new Pending(stored));
	}

	/**
	 * Stores a write no side could take and answers {@code 202}; {@code 503} if it cannot be stored.
	 * @param route the route
	 * @param pending the write, as admitted
	 */
	public ServerResponse store(Route route, Pending pending) {
		StoredRequest request = pending.request;
		try {
			if (!this.store.create(request)) {
				// the same key, at the same moment, from another request: that one is the stored one
				StoredRequest existing = this.store.get(request.id());
				return (existing != null) ? status(existing) : storeUnavailable(route, null);
			}
		}
		catch (RuntimeException ex) {
			return storeUnavailable(route, ex);
		}
		try {
			this.queue.send(request.route(), request.id(), request.group());
		}
		catch (RuntimeException ex) {
			try {
				this.store.delete(request.id());
			}
			catch (RuntimeException ignored) {
				// a retry with the key finds it PENDING and queues it again (admit)
			}
			return storeUnavailable(route, ex);
		}
		Counter.builder("bff.replay.stored").tag("route", route.id()).register(this.meters).increment();
		return status(request);
	}

	/** A stored request still waiting is queued again: its trigger may have been lost with a failed store. */
	private void requeue(StoredRequest request) {
		try {
			this.queue.send(request.route(), request.id(), request.group());
		}
		catch (RuntimeException ex) {
			logger.debug("A pending request's trigger could not be queued again", ex);
		}
	}

	private ServerResponse status(StoredRequest request) {
		HttpStatus status = request.status().isFinal() ? HttpStatus.OK : HttpStatus.ACCEPTED;
		return ServerResponse.status(status)
			.location(URI.create(RequestStatusHandler.PATH + request.id()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(RequestStatus.of(request));
	}

	private ServerResponse storeUnavailable(Route route, @Nullable Throwable failure) {
		logger.warn("Route '{}': a critical write could not be stored ({}); answered 503", route.id(),
				(failure != null) ? failure.getClass().getSimpleName() : "conflict");
		Counter.builder("bff.replay.outcomes").tag("route", route.id()).tag("outcome", "store_failed")
			.register(this.meters).increment();
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The system behind this route is unavailable and the request could not be stored; it was not "
							+ "applied. Send it again later with the same " + IDEMPOTENCY_KEY + "."));
	}

	private ServerResponse tooLarge() {
		return problem(HttpStatus.CONTENT_TOO_LARGE,
				"A write on this route may carry at most " + this.maxBodySize + " bytes, so it can be stored.");
	}

	private static ServerResponse problem(HttpStatus status, String detail) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetail.forStatusAndDetail(status, detail));
	}

	private static String sha256(String head, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(head.getBytes(StandardCharsets.UTF_8));
			digest.update(body);
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** The client's request with its body read and held, so the proxy sends what would be stored. */
	private static final class HeldBody extends HttpServletRequestWrapper {

		private final byte[] body;

		HeldBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = Arrays.copyOf(body, body.length);
		}

		@Override
		public ServletInputStream getInputStream() {
			InputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					try {
						return in.available() == 0;
					}
					catch (IOException ex) {
						return true;
					}
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body is held, read it blocking");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body),
					(encoding != null) ? java.nio.charset.Charset.forName(encoding) : StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return (super.getContentLengthLong() >= 0) ? this.body.length : -1;
		}

		@Override
		public long getContentLengthLong() {
			return (super.getContentLengthLong() >= 0) ? this.body.length : -1;
		}

	}

}
