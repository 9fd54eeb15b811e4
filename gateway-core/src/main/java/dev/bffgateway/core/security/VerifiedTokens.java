package dev.bffgateway.core.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.util.ConcurrentLruCache;

/**
 * Tokens already verified, kept so a client's next requests with the same token skip the signature check: the
 * RS256 verification was about a tenth of a dashboard's CPU (JFR under bench/dashboard.sh's load, issue 16).
 *
 * <ul>
 * <li>Keyed by the whole token, its signature included: only a token equal, character for character, to one this
 * BFF verified is found. Anything else is decoded and verified by the delegate, and a token it refuses is never
 * kept.</li>
 * <li>A kept token is checked again on every use with the BFF's clock, by the same timestamp validator: one past
 * its {@code exp} (plus the allowed skew) is refused as if it had never been seen.</li>
 * <li>None is kept longer than {@link #MAX_AGE}, so a key taken out of the issuer's JWKS stops the tokens it
 * signed within that time here too.</li>
 * <li>Bounded: the least recently used go first.</li>
 * </ul>
 */
final class VerifiedTokens implements JwtDecoder {

	static final Duration MAX_AGE = Duration.ofMinutes(1);

	private final ConcurrentLruCache<String, Verified> verified;

	private final OAuth2TokenValidator<Jwt> timestamps;

	private final Clock clock;

	/**
	 * @param delegate what verifies a token not seen yet (signature, issuer, timestamps)
	 * @param timestamps the delegate's own timestamp validator, to check a kept token again
	 * @param clock the BFF's clock
	 * @param capacity how many verified tokens are kept at most
	 */
	VerifiedTokens(JwtDecoder delegate, OAuth2TokenValidator<Jwt> timestamps, Clock clock, int capacity) {
		this.timestamps = timestamps;
		this.clock = clock;
		this.verified = new ConcurrentLruCache<>(capacity, (token) -> new Verified(delegate.decode(token), clock.instant()));
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Verified kept = this.verified.get(token);
		if (this.clock.instant().isAfter(kept.at().plus(MAX_AGE))) {
			this.verified.remove(token);
			kept = this.verified.get(token); // verified afresh, or refused
		}
		var result = this.timestamps.validate(kept.jwt());
		if (result.hasErrors()) {
			this.verified.remove(token);
			throw new JwtValidationException("The token is no longer valid: " + result.getErrors().iterator().next()
				.getDescription(), result.getErrors());
		}
		return kept.jwt();
	}

	private record Verified(Jwt jwt, Instant at) {
	}

}
