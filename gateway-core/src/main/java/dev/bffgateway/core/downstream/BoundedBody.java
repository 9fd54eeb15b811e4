package dev.bffgateway.core.downstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * A response body read up to a cap, counted as it is read: the parser holds no more than the cap and its own
 * small buffer, whatever the dependency sends. One byte past the cap fails the read with {@link TooLarge}; the
 * connection is then dropped (Apache's {@link EofSensorInputStream#abort()}) rather than drained, as Apache would
 * otherwise do to reuse it, reading the rest of a body that may never end.
 *
 * <p>Not thread-safe: one reader, as any input stream.
 */
final class BoundedBody extends FilterInputStream {

	private final long max;

	private long read;

	/**
	 * @param body the response body
	 * @param max the most bytes that may be read; one more fails the read
	 */
	BoundedBody(InputStream body, long max) {
		super(body);
		this.max = max;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		// never ask for more than one byte past the cap: that byte is enough to know the body is too large
		long allowed = this.max - this.read + 1;
		int n = super.read(buffer, offset, (int) Math.min(length, allowed));
		if (n > 0) {
			count(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(Math.min(n, this.max - this.read + 1));
		count(skipped);
		return skipped;
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	private void count(long n) throws IOException {
		this.read += n;
		if (this.read > this.max) {
			abort(this.in);
			throw new TooLarge(this.max);
		}
	}

	/** Drops the connection under the body, where the HTTP client allows it; otherwise closing drains it. */
	static void abort(InputStream body) {
		if (body instanceof EofSensorInputStream sensor) {
			try {
				sensor.abort();
			}
			catch (IOException ex) {
				// the connection is being discarded anyway
			}
		}
	}

	/** A body larger than its dependency's {@code max-body-size}. The message holds the cap, never the body. */
	static final class TooLarge extends IOException {

		TooLarge(long max) {
			super("response body exceeds max-body-size of " + max + " bytes", null);
		}

	}

}
