package dev.bffgateway.core.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After authorization: pins the verified {@link Caller} (the one {@link Access} built and checked) to the request
 * and shows the rest of the BFF (the dashboard's calls, the strangler proxy, a route's sticky key) the user header
 * with the verified user id. A client's own value never got this far ({@link BoundaryFilter}).
 */
final class CallerFilter extends OncePerRequestFilter {

	private final String userHeader;

	CallerFilter(String userHeader) {
		this.userHeader = userHeader;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		// a token on a public route was never checked for audience, client or policy: it identifies no one here
		if (!(authentication instanceof JwtAuthenticationToken)
				|| !(request.getAttribute(Access.VERIFIED) instanceof Caller caller)) {
			chain.doFilter(request, response);
			return;
		}
		request.setAttribute(Caller.ATTRIBUTE, caller);
		chain.doFilter(new IdentifiedRequest(request, this.userHeader, caller.userId()), response);
	}

	/** The request with the user header set to the verified user. */
	private static final class IdentifiedRequest extends HttpServletRequestWrapper {

		private final String name;

		private final String value;

		IdentifiedRequest(HttpServletRequest request, String name, String value) {
			super(request);
			this.name = name;
			this.value = value;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return this.name.equalsIgnoreCase(name) ? this.value : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return this.name.equalsIgnoreCase(name) ? Collections.enumeration(List.of(this.value)) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
			names.removeIf(this.name::equalsIgnoreCase);
			names.add(this.name);
			return Collections.enumeration(names);
		}

	}

}
