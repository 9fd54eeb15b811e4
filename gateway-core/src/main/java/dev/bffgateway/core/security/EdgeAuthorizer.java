package dev.bffgateway.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the Lambda edge behind an API Gateway JWT (HTTP API) or Cognito (REST API) authorizer, and only when
 * {@code gateway.security.jwt.edge-authorizer=true}: the caller comes from the claims API Gateway already verified
 * ({@code requestContext.authorizer.jwt.claims} or {@code .claims}). {@code LambdaEdgeHandler} passes them in
 * {@link #HEADER}, always replacing whatever a client sent under that name; {@link BoundaryFilter} moves them to
 * {@link #ATTRIBUTE} and hides the header. The issuer must still be the configured one; audience, scopes and
 * policies are checked as for any token.
 */
public final class EdgeAuthorizer extends OncePerRequestFilter {

	/** The internal header carrying the authorizer's claims from the Lambda edge (base64 of a JSON object). */
	public static final String HEADER = "x-bff-edge-authorizer";

	static final String ATTRIBUTE = EdgeAuthorizer.class.getName() + ".claims";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String issuer;

	private final Converter<Jwt, AbstractAuthenticationToken> converter;

	private final AuthenticationEntryPoint entryPoint;

	EdgeAuthorizer(String issuer, Converter<Jwt, AbstractAuthenticationToken> converter,
			AuthenticationEntryPoint entryPoint) {
		this.issuer = issuer;
		this.converter = converter;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object encoded = request.getAttribute(ATTRIBUTE);
		if (encoded instanceof String claims) {
			try {
				AbstractAuthenticationToken authentication = this.converter.convert(jwt(claims));
				authentication.setAuthenticated(true);
				SecurityContextHolder.getContext().setAuthentication(authentication);
			}
			catch (AuthenticationException ex) {
				SecurityContextHolder.clearContext();
				this.entryPoint.commence(request, response, ex);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private Jwt jwt(String encoded) {
		Map<String, Object> raw;
		try {
			raw = JSON.readValue(Base64.getDecoder().decode(encoded), new TypeReference<Map<String, Object>>() {
			});
		}
		catch (RuntimeException ex) {
			throw new InvalidBearerTokenException("The authorizer's claims are unreadable");
		}
		Map<String, Object> claims = new LinkedHashMap<>();
		raw.forEach((name, value) -> {
			switch (name) {
				case "exp", "iat", "nbf", "auth_time" -> {
					Instant instant = instant(value);
					if (instant != null) {
						claims.put(name, instant);
					}
				}
				case "aud" -> claims.put(name, list(value));
				default -> claims.put(name, value);
			}
		});
		if (!this.issuer.equals(claims.get("iss"))) {
			throw new InvalidBearerTokenException("The authorizer's token is from another issuer");
		}
		if (claims.get("exp") instanceof Instant exp && claims.get("iat") instanceof Instant iat && !iat.isBefore(exp)) {
			claims.remove("iat");
		}
		return Jwt.withTokenValue("edge-authorizer").header("alg", "edge").claims((c) -> c.putAll(claims)).build();
	}

	private static Instant instant(Object value) {
		try {
			return Instant.ofEpochSecond(Long.parseLong(String.valueOf(value).trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** API Gateway flattens claims to strings: a list arrives as {@code "[a b]"} or {@code "a"}. */
	private static List<String> list(Object value) {
		if (value instanceof List<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		String text = String.valueOf(value).trim();
		if (text.startsWith("[") && text.endsWith("]")) {
			text = text.substring(1, text.length() - 1);
		}
		return List.of(text.split("[\\s,]+")).stream().filter((s) -> !s.isEmpty()).toList();
	}

	static String encode(Map<String, ?> claims) {
		return Base64.getEncoder().encodeToString(JSON.writeValueAsString(claims).getBytes(StandardCharsets.UTF_8));
	}

}
