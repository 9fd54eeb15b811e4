package dev.bffgateway.core.proxy;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Where a proxied answer that a retry replaces is written: nowhere. Writing it reads the backend's body to its end
 * and closes it, so its pooled connection is free again (dropped unread, it would stay leased); the client's
 * response is never touched: status, headers and body all go to waste here.
 */
final class Discarded implements HttpServletResponse {

	private static final ServletOutputStream NOWHERE = new ServletOutputStream() {

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
		}

	};

	private int status = 200;

	private Discarded() {
	}

	/**
	 * Reads an answer to its end into nothing.
	 * @param answer the answer being replaced
	 * @param request the client's request, which the answer is written for
	 * @param converters the request's message converters, should the answer need them
	 */
	static void write(ServerResponse answer, HttpServletRequest request, List<HttpMessageConverter<?>> converters)
			throws Exception {
		answer.writeTo(request, new Discarded(), () -> converters);
	}

	@Override
	public ServletOutputStream getOutputStream() {
		return NOWHERE;
	}

	@Override
	public PrintWriter getWriter() {
		return new PrintWriter(NOWHERE);
	}

	@Override
	public boolean isCommitted() {
		return false;
	}

	@Override
	public void setStatus(int status) {
		this.status = status;
	}

	@Override
	public int getStatus() {
		return this.status;
	}

	@Override
	public String encodeURL(String url) {
		return url;
	}

	@Override
	public String encodeRedirectURL(String url) {
		return url;
	}

	@Override
	public String getCharacterEncoding() {
		return "ISO-8859-1";
	}

	@Override
	public @Nullable String getContentType() {
		return null;
	}

	@Override
	public int getBufferSize() {
		return 0;
	}

	@Override
	public Locale getLocale() {
		return Locale.ROOT;
	}

	@Override
	public void sendError(int status) {
	}

	@Override
	public void sendError(int status, String message) {
	}

	@Override
	public void sendRedirect(String location) {
	}

	@Override
	public void sendRedirect(String location, int status, boolean clearBuffer) {
	}

	@Override
	public void setHeader(String name, @Nullable String value) {
	}

	@Override
	public void addHeader(String name, @Nullable String value) {
	}

	@Override
	public void setIntHeader(String name, int value) {
	}

	@Override
	public void addIntHeader(String name, int value) {
	}

	@Override
	public void setDateHeader(String name, long date) {
	}

	@Override
	public void addDateHeader(String name, long date) {
	}

	@Override
	public void addCookie(Cookie cookie) {
	}

	@Override
	public void setContentType(@Nullable String type) {
	}

	@Override
	public void setCharacterEncoding(@Nullable String charset) {
	}

	@Override
	public void setContentLength(int length) {
	}

	@Override
	public void setContentLengthLong(long length) {
	}

	@Override
	public void setLocale(Locale locale) {
	}

	@Override
	public void setBufferSize(int size) {
	}

	@Override
	public void flushBuffer() {
	}

	@Override
	public void reset() {
	}

	@Override
	public void resetBuffer() {
	}

	@Override
	public void setTrailerFields(Supplier<Map<String, String>> supplier) {
	}

	@Override
	public @Nullable String getHeader(String name) {
		return null;
	}

	@Override
	public Collection<String> getHeaders(String name) {
		return List.of();
	}

	@Override
	public Collection<String> getHeaderNames() {
		return List.of();
	}

	@Override
	public boolean containsHeader(String name) {
		return false;
	}

}
