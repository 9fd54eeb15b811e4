package dev.bffgateway.core.security;

import dev.bffgateway.core.problem.Problems;
import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * How the boundary says no, always as {@code application/problem+json}, never echoing a token:
 * <ul>
 * <li>no token, or one that is malformed, expired, not yet valid, wrongly signed or from another issuer:
 * {@code 401} with RFC 6750's {@code WWW-Authenticate: Bearer} ({@code error="invalid_token"} when a token was
 * sent; without one, no error code, as §3.1 asks);</li>
 * <li>a valid token that may not make the request (an ID token, another audience, another client, a missing
 * scope, a {@link CallerPolicy}): {@code 403}, with {@code Bearer error="insufficient_scope", scope="…"} when a
 * scope is missing;</li>
 * <li>a path that is not in normal form (Spring Security's {@code StrictHttpFirewall}: dot segments raw or
 * encoded, encoded {@code /}, {@code \} or {@code %}, {@code ;}, {@code //}): {@code 400}.</li>
 * </ul>
 */
final class Refusals implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		// written here rather than by Spring Security's entry point, which adds a resource_metadata URL built
		// from the client's own Host header
		boolean tokenSent = failure instanceof OAuth2AuthenticationException;
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				tokenSent ? "Bearer error=\"invalid_token\", error_description=\"The token is not valid\"" : "Bearer");
		Problems.write(response, HttpStatus.UNAUTHORIZED,
				tokenSent ? "The bearer token is not valid: malformed, expired, not yet valid, or not signed by the trusted issuer."
						: "A bearer token is required.");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		String reason = "The token does not allow this request.";
		String scope = null;
		if (denied instanceof AuthorizationDeniedException decision
				&& decision.getAuthorizationResult() instanceof Access.Refusal refusal) {
			reason = refusal.reason();
			scope = refusal.scope();
		}
		if (scope != null) {
			// RFC 6750 §3.1: only a missing scope is insufficient_scope; other refusals carry no error code
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
		}
		Problems.write(response, HttpStatus.FORBIDDEN, reason);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
			throws IOException {
		Problems.write(response, HttpStatus.BAD_REQUEST, "The request path is not in normal form: dot segments "
				+ "(raw or encoded), encoded '/', '\\\\' or '%', ';' and '//' are refused.");
	}

}
