package dev.bffgateway.core.shadow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The client's response, passed through as it is written, with a copy of its body kept on the side (up to a cap:
 * an answer larger than that is not compared), so the answer can be compared once it is on its way.
 */
final class Captured extends HttpServletResponseWrapper {

	private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

	private final int cap;

	private boolean overflow;

	private ServletOutputStream out;

	Captured(HttpServletResponse response, int cap) {
		super(response);
		this.cap = cap;
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.out == null) {
			ServletOutputStream delegate = super.getOutputStream();
			this.out = new ServletOutputStream() {

				@Override
				public void write(int b) throws IOException {
					delegate.write(b);
					keep(new byte[] { (byte) b }, 0, 1);
				}

				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					delegate.write(b, off, len);
					keep(b, off, len);
				}

				@Override
				public void flush() throws IOException {
					delegate.flush();
				}

				@Override
				public boolean isReady() {
					return delegate.isReady();
				}

				@Override
				public void setWriteListener(WriteListener listener) {
					delegate.setWriteListener(listener);
				}

			};
		}
		return this.out;
	}

	private void keep(byte[] b, int off, int len) {
		if (this.overflow) {
			return;
		}
		if (this.copy.size() + len > this.cap) {
			this.overflow = true;
			this.copy.reset();
			return;
		}
		this.copy.write(b, off, len);
	}

	/** @return whether the body was larger than the cap, so no copy was kept */
	boolean overflow() {
		return this.overflow;
	}

	Comparison.Answer answer() {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : getHeaderNames()) {
			headers.put(name, new ArrayList<>(getHeaders(name)));
		}
		return new Comparison.Answer(getStatus(), headers, getContentType(), this.copy.toByteArray());
	}

}
