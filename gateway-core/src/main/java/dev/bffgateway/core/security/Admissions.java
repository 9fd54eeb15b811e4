package dev.bffgateway.core.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link ClientFilter}'s verdict waits for the {@link Caller} to be built: a request attribute under a
 * name only this package knows, written only through {@link ClientFilter.Chain#proceedAs} and read only through
 * {@link Caller#partner()} and {@link ClientFilter#partner}. A client can send headers, never attributes.
 */
final class Admissions implements ClientFilter.Chain {

	private static final String PARTNER = Admissions.class.getName() + ".partner";

	private final FilterChain chain;

	/** @param chain the servlet chain after the client filter */
	Admissions(FilterChain chain) {
		this.chain = chain;
	}

	@Override
	public void proceed(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
		this.chain.doFilter(request, response);
	}

	@Override
	public void proceedAs(String partner, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		if (partner == null || partner.isBlank()) {
			throw new IllegalArgumentException("A client filter must name the partner it admits, but was '" + partner + "'");
		}
		String admitted = partner(request);
		if (admitted != null && !admitted.equals(partner)) {
			throw new IllegalStateException("The request was already admitted as partner '" + admitted
					+ "', not '" + partner + "'");
		}
		request.setAttribute(PARTNER, partner);
		this.chain.doFilter(request, response);
	}

	static @Nullable String partner(HttpServletRequest request) {
		return (String) request.getAttribute(PARTNER);
	}

}
