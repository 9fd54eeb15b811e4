package dev.bffgateway.core.security;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The trust boundary: how callers are identified and what a client request may be.
 *
 * <pre>
 * gateway:
 *   security:
 *     jwt:
 *       issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf
 *       audiences: [web-client-id]
 *       jwk-set-uri: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf/.well-known/jwks.json
 *     dashboard-scopes: [dashboard:read]
 *     trusted-proxies: [10.0.0.0/16]          # the load balancer's subnets; none by default
 * </pre>
 *
 * @param jwt how tokens are verified
 * @param userHeader the header the BFF sets to the verified user id on downstream and proxied calls (any value
 * the client sent is dropped); default {@code X-User-Id}
 * @param identityHeaders further headers that only the BFF may set and that are always dropped from a client's
 * request; default {@code X-Partner-Id}
 * @param dashboardScopes scopes a token needs for {@code GET /dashboard}; default none
 * @param trustedProxies peers (exact address or CIDR) whose {@code Forwarded} and {@code X-Forwarded-*} headers
 * are kept; from any other peer they are dropped. Default none
 * @param limits the largest request the BFF takes
 */
@ConfigurationProperties("gateway.security")
public record GatewaySecurityProperties(@DefaultValue Jwt jwt, @DefaultValue("X-User-Id") String userHeader,
		@DefaultValue("X-Partner-Id") List<String> identityHeaders, @DefaultValue List<String> dashboardScopes,
		@DefaultValue List<String> trustedProxies, @DefaultValue Limits limits) {

	private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]+(/\\d{1,3})?");

	public GatewaySecurityProperties {
		identityHeaders = List.copyOf(identityHeaders);
		dashboardScopes = List.copyOf(dashboardScopes);
		trustedProxies = List.copyOf(trustedProxies);
		for (int i = 0; i < trustedProxies.size(); i++) {
			String proxy = trustedProxies.get(i).trim();
			if (!ADDRESS.matcher(proxy).matches() || !(proxy.contains(".") || proxy.contains(":"))) {
				throw new IllegalArgumentException("gateway.security.trusted-proxies[" + i
						+ "] must be an IP address or CIDR block (e.g. 10.0.0.0/16), but was '" + proxy + "'");
			}
		}
	}

	/** @return the headers only the BFF sets, lower case: the user header and the identity headers */
	Set<String> ownHeaders() {
		Set<String> names = new HashSet<>();
		names.add(this.userHeader.toLowerCase(Locale.ROOT));
		this.identityHeaders.forEach((name) -> names.add(name.toLowerCase(Locale.ROOT)));
		return Set.copyOf(names);
	}

	/**
	 * How a bearer token is verified. Its signature (RS256 by default, against the JWKS or a configured public
	 * key), issuer and validity period make it a token at all ({@code 401} otherwise); its audience and scopes
	 * decide what it may do ({@code 403} otherwise).
	 *
	 * @param issuer the {@code iss} every token must carry; required
	 * @param audiences the {@code aud} values accepted; a token must name at least one (a Cognito access token, which
	 * has no {@code aud}, names its app client in {@code client_id}, which then counts). Required
	 * @param jwkSetUri where the issuer publishes its signing keys (fetched on first use, cached, refetched for an
	 * unknown key id); this or {@code public-key-location}
	 * @param publicKeyLocation a PEM RSA public key ({@code classpath:}, {@code file:}), instead of a JWKS
	 * @param algorithms the signature algorithms accepted; default {@code RS256}. {@code none} and HMAC
	 * algorithms are never accepted
	 * @param clockSkew how far {@code exp} and {@code nbf} may be off; default 30s, at most 5m
	 * @param userClaim the claim holding the user id; default {@code sub}
	 * @param clients the OAuth clients ({@code azp}, else {@code client_id}) whose tokens this BFF serves, e.g. the
	 * web app's client on web-bff, so a token a user delegated to a partner cannot read the web dashboard; empty
	 * (the default) accepts any client of the issuer
	 * @param edgeAuthorizer on the Lambda edge only: take the claims API Gateway's JWT or Cognito authorizer
	 * already verified ({@code requestContext.authorizer}) instead of verifying the token again. Default false
	 * @param verifiedTokens how many verified tokens are kept, so a client's next requests with the same token skip
	 * the signature check (each still checked for expiry; none kept longer than a minute); default 2048, 0 keeps
	 * none
	 */
	public record Jwt(@Nullable String issuer, @DefaultValue List<String> audiences, @Nullable URI jwkSetUri,
			@Nullable String publicKeyLocation, @DefaultValue("RS256") List<String> algorithms,
			@DefaultValue("30s") Duration clockSkew, @DefaultValue("sub") String userClaim,
			@DefaultValue List<String> clients, @DefaultValue("false") boolean edgeAuthorizer,
			@DefaultValue("2048") int verifiedTokens) {

		private static final Set<String> SIGNATURES = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
				"PS256", "PS384", "PS512");

		public Jwt {
			audiences = List.copyOf(audiences);
			algorithms = List.copyOf(algorithms);
			clients = List.copyOf(clients);
			if (verifiedTokens < 0 || verifiedTokens > 100_000) {
				throw new IllegalArgumentException(
						"gateway.security.jwt.verified-tokens must be 0 to 100000, but was " + verifiedTokens);
			}
			if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
				throw new IllegalArgumentException(
						"gateway.security.jwt.clock-skew must be 0s to 5m, but was " + clockSkew);
			}
			for (int i = 0; i < algorithms.size(); i++) {
				if (!SIGNATURES.contains(algorithms.get(i))) {
					throw new IllegalArgumentException("gateway.security.jwt.algorithms[" + i + "] must be one of "
							+ SIGNATURES.stream().sorted().toList() + ", but was '" + algorithms.get(i) + "'");
				}
			}
		}

		/**
		 * @throws IllegalStateException naming the key and value of the first setting that is missing or wrong
		 */
		void check() {
			if (this.issuer == null || this.issuer.isBlank()) {
				throw new IllegalStateException("gateway.security.jwt.issuer must be set (the iss of the tokens this "
						+ "BFF accepts, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf), but was missing");
			}
			if (this.audiences.isEmpty() || this.audiences.stream().anyMatch(String::isBlank)) {
				throw new IllegalStateException("gateway.security.jwt.audiences must list the aud values this BFF "
						+ "accepts, but was " + this.audiences);
			}
			if (this.edgeAuthorizer) {
				return;
			}
			if ((this.jwkSetUri == null) == (this.publicKeyLocation == null)) {
				throw new IllegalStateException("gateway.security.jwt.jwk-set-uri or gateway.security.jwt.public-key-location "
						+ "must be set (exactly one), but was jwk-set-uri=" + this.jwkSetUri + ", public-key-location="
						+ this.publicKeyLocation);
			}
			if (this.jwkSetUri != null && !("https".equals(this.jwkSetUri.getScheme())
					|| "http".equals(this.jwkSetUri.getScheme())) || (this.jwkSetUri != null && this.jwkSetUri.getHost() == null)) {
				throw new IllegalStateException(
						"gateway.security.jwt.jwk-set-uri must be an absolute http(s) URL, but was '" + this.jwkSetUri + "'");
			}
		}

	}

	/**
	 * The largest request taken; beyond it the answer is a problem, before anything is forwarded.
	 *
	 * @param headerSize all header names and values together; beyond it {@code 431}. Default 8KB
	 * @param uriLength path and query; beyond it {@code 414}. Default 4KB
	 * @param bodySize the body; beyond it {@code 413}. Default 10MB
	 */
	public record Limits(@DefaultValue("8KB") DataSize headerSize, @DefaultValue("4KB") DataSize uriLength,
			@DefaultValue("10MB") DataSize bodySize) {

		public Limits {
			positive("header-size", headerSize);
			positive("uri-length", uriLength);
			positive("body-size", bodySize);
		}

		private static void positive(String key, DataSize size) {
			if (size.toBytes() < 1) {
				throw new IllegalArgumentException("gateway.security.limits." + key + " must be positive, but was " + size);
			}
		}

	}

}
