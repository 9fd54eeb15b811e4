package dev.bffgateway.core.security;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Turns a verified token into an authentication and a {@link Caller}. */
final class Callers {

	/** What a user id may look like; it travels in paths and headers downstream. */
	static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final String SCOPE = "SCOPE_";

	private Callers() {
	}

	/**
	 * @param userClaim the claim holding the user id
	 * @return a converter that refuses (as an invalid token, {@code 401}) a token whose user claim is missing or
	 * not a plain id
	 */
	static Converter<Jwt, AbstractAuthenticationToken> converter(String userClaim) {
		JwtAuthenticationConverter delegate = new JwtAuthenticationConverter();
		delegate.setPrincipalClaimName(userClaim);
		return (jwt) -> {
			Object user = jwt.getClaims().get(userClaim);
			if (!(user instanceof String id) || !PLAIN_ID.matcher(id).matches()) {
				throw new InvalidBearerTokenException("The token's " + userClaim
						+ " claim must be a user id of 1 to 64 letters, digits, '-' or '_'");
			}
			return delegate.convert(jwt);
		};
	}

	/**
	 * @param token the verified token
	 * @param partner the partner a client filter admitted the request as, or {@code null}
	 * @param traceId the request's trace id, or {@code null}
	 */
	static Caller of(JwtAuthenticationToken token, @Nullable String partner, @Nullable String traceId) {
		Set<String> scopes = new HashSet<>();
		for (GrantedAuthority authority : token.getAuthorities()) {
			String name = authority.getAuthority();
			if (name != null && name.startsWith(SCOPE)) {
				scopes.add(name.substring(SCOPE.length()));
			}
		}
		return new Caller(token.getName(), clientId(token.getToken()), scopes, partner, traceId);
	}

	private static @Nullable String clientId(Jwt jwt) {
		String azp = jwt.getClaimAsString("azp");
		return (azp != null) ? azp : jwt.getClaimAsString("client_id");
	}

}
