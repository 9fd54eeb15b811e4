package dev.bffgateway.core.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bffgateway.core.demo.DemoTokens;
import dev.bffgateway.core.testing.MovableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verified tokens are kept, never trusted beyond what verifying them again would allow: real RS256 tokens, the
 * real Nimbus decoder behind, a clock the test moves.
 */
class VerifiedTokensTest {

	private static final DemoTokens ISSUER = DemoTokens.generate();

	private final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

	/** How many tokens the real decoder was asked to verify. */
	private final AtomicInteger verifications = new AtomicInteger();

	private final JwtTimestampValidator timestamps = timestamps(this.clock);

	private final JwtDecoder tokens = new VerifiedTokens(counting(decoder(this.timestamps)), this.timestamps, this.clock, 2);

	@Test
	void aTokenVerifiedOnceIsNotVerifiedAgain() {
		String token = ISSUER.forUser("u-1");

		assertThat(this.tokens.decode(token).getSubject()).isEqualTo("u-1");
		assertThat(this.tokens.decode(token).getSubject()).isEqualTo("u-1");

		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void aTokenNotEqualToAVerifiedOneIsVerifiedAndAForgedOneRefused() {
		String token = ISSUER.forUser("u-1");
		this.tokens.decode(token);
		String forged = ISSUER.token("u-1").signByStranger();
		String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");

		assertThatThrownBy(() -> this.tokens.decode(forged)).isInstanceOf(BadJwtException.class);
		assertThatThrownBy(() -> this.tokens.decode(tampered)).isInstanceOf(BadJwtException.class);
		assertThatThrownBy(() -> this.tokens.decode(forged)).as("a refused token is never kept")
			.isInstanceOf(BadJwtException.class);
		assertThat(this.verifications).hasValue(4);
	}

	@Test
	void aKeptTokenPastItsExpiryIsRefused() {
		String token = ISSUER.token("u-1").expiresAt(this.clock.instant().plusSeconds(40)).sign();
		this.tokens.decode(token);

		this.clock.advance(Duration.ofSeconds(40 + 30 + 1)); // past exp and the 30 s skew, within a minute

		assertThatThrownBy(() -> this.tokens.decode(token)).isInstanceOf(JwtValidationException.class);
		assertThatThrownBy(() -> this.tokens.decode(token)).isInstanceOf(JwtValidationException.class);
	}

	@Test
	void noTokenIsKeptLongerThanAMinute() {
		String token = ISSUER.forUser("u-1");
		this.tokens.decode(token);

		this.clock.advance(VerifiedTokens.MAX_AGE.plusSeconds(1));
		this.tokens.decode(token);

		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void theLeastRecentlyUsedGoFirst() {
		String first = ISSUER.forUser("u-1");
		String second = ISSUER.forUser("u-2");
		String third = ISSUER.forUser("u-3");
		this.tokens.decode(first);
		this.tokens.decode(second);
		this.tokens.decode(third); // capacity 2: the first goes

		this.tokens.decode(third);
		this.tokens.decode(first);

		assertThat(this.verifications).hasValue(4);
	}

	private JwtDecoder counting(JwtDecoder decoder) {
		return (token) -> {
			this.verifications.incrementAndGet();
			return decoder.decode(token);
		};
	}

	private static NimbusJwtDecoder decoder(JwtTimestampValidator timestamps) {
		RSAPublicKey key = RsaKeyConverters.x509()
			.convert(new ByteArrayInputStream(ISSUER.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key).build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(DemoTokens.ISSUER)));
		return decoder;
	}

	private static JwtTimestampValidator timestamps(Clock clock) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(30));
		timestamps.setClock(clock);
		timestamps.setAllowEmptyExpiryClaim(false);
		return timestamps;
	}

}
