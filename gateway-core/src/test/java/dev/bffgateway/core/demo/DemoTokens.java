package dev.bffgateway.core.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in identity provider for demos and tests: an RSA key pair made at start, its public JWKS, and signed
 * JWTs (nimbus-jose-jwt) for any user. Never in a BFF's jar. Also makes the broken tokens a BFF must refuse:
 * unsigned ({@code alg: none}), HS256 signed with the public key, signed by a stranger's key.
 */
public final class DemoTokens {

	/** The demo issuer ({@code iss}). */
	public static final String ISSUER = "https://idp.demo.bff.example";

	/** The demo audience ({@code aud}) every BFF accepts in the demo. */
	public static final String AUDIENCE = "bff-demo";

	/** The scope the dashboard needs. */
	public static final String DASHBOARD_READ = "dashboard:read";

	private final RSAKey key;

	private DemoTokens(RSAKey key) {
		this.key = key;
	}

	/** @return a new issuer with a fresh 2048-bit RSA key */
	public static DemoTokens generate() {
		try {
			return new DemoTokens(new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** @return the public JWKS document, as served at {@code /.well-known/jwks.json} */
	public String jwks() {
		return new JWKSet(this.key.toPublicJWK()).toString();
	}

	/** @return the public key as a PEM document */
	public String publicKeyPem() {
		try {
			String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes())
				.encodeToString(this.key.toRSAPublicKey().getEncoded());
			return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** @return a valid token for the user: demo issuer and audience, {@code dashboard:read}, one hour */
	public String forUser(String userId) {
		return token(userId).sign();
	}

	/** @return a builder of a token for the user, valid by default */
	public Token token(String userId) {
		return new Token(this, userId);
	}

	/** A token being made; every setter returns the builder. */
	public static final class Token {

		private final DemoTokens issuer;

		private final JWTClaimsSet.Builder claims;

		private Token(DemoTokens issuer, String userId) {
			this.issuer = issuer;
			Instant now = Instant.now();
			this.claims = new JWTClaimsSet.Builder().subject(userId)
				.issuer(ISSUER)
				.audience(AUDIENCE)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(Duration.ofHours(1))))
				.claim("scope", DASHBOARD_READ)
				.jwtID(UUID.randomUUID().toString());
		}

		public Token claim(String name, @Nullable Object value) {
			this.claims.claim(name, value);
			return this;
		}

		public Token issuer(String issuer) {
			this.claims.issuer(issuer);
			return this;
		}

		public Token audience(String... audiences) {
			this.claims.audience(List.of(audiences));
			return this;
		}

		public Token scope(String scope) {
			this.claims.claim("scope", scope);
			return this;
		}

		public Token client(String clientId) {
			this.claims.claim("azp", clientId);
			return this;
		}

		public Token expiresAt(Instant at) {
			this.claims.expirationTime(Date.from(at));
			return this;
		}

		public Token notBefore(Instant at) {
			this.claims.notBeforeTime(Date.from(at));
			return this;
		}

		public Token issuedAt(Instant at) {
			this.claims.issueTime(Date.from(at));
			return this;
		}

		/** @return the claims as a map (what an API Gateway authorizer would pass on) */
		public Map<String, Object> claims() {
			return this.claims.build().toJSONObject();
		}

		/** @return the token, RS256-signed by the issuer's key */
		public String sign() {
			return signWith(this.issuer.key);
		}

		/** @return the token signed by another key that claims the issuer's key id */
		public String signByStranger() {
			try {
				return signWith(new RSAKeyGenerator(2048).keyID(this.issuer.key.getKeyID()).generate());
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** @return the token unsigned: {@code alg: none} */
		public String unsigned() {
			return new PlainJWT(this.claims.build()).serialize();
		}

		/** @return the token HS256-signed with the issuer's public key as the secret (the key confusion attack) */
		public String hmacWithPublicKey() {
			try {
				SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(this.issuer.key.getKeyID()).build(),
						this.claims.build());
				jwt.sign(new MACSigner(this.issuer.key.toRSAPublicKey().getEncoded()));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private String signWith(RSAKey key) {
			try {
				SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
						this.claims.build());
				jwt.sign(new RSASSASigner(key));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
