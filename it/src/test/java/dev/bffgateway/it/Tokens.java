package dev.bffgateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.bffgateway.core.demo.DemoTokens;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The identity provider the BFFs under test trust: signed JWTs minted with nimbus-jose-jwt
 * ({@link DemoTokens}), whose public JWKS a WireMock server serves, as a real IdP (Cognito, Auth0, ...) would.
 * Started once per JVM, like {@link Downstreams}.
 */
final class Tokens {

	static final DemoTokens ISSUER = DemoTokens.generate();

	static final WireMockServer JWKS = startJwks();

	static final String JWKS_PATH = "/.well-known/jwks.json";

	private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

	private Tokens() {
	}

	private static WireMockServer startJwks() {
		WireMockServer server = Downstreams.start();
		server.stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(ISSUER.jwks())));
		return server;
	}

	/** @return {@code Bearer <a valid token for the user>}, one token per user, reused (valid for a day) */
	static String bearer(String userId) {
		return "Bearer " + CACHE.computeIfAbsent(userId,
				(user) -> ISSUER.token(user).expiresAt(Instant.now().plus(Duration.ofDays(1))).sign());
	}

	/** @return {@code Bearer <a valid token the user delegated to the OAuth client>} */
	static String delegated(String userId, String clientId) {
		return "Bearer " + CACHE.computeIfAbsent(userId + "@" + clientId,
				(key) -> ISSUER.token(userId).client(clientId).expiresAt(Instant.now().plus(Duration.ofDays(1))).sign());
	}

	/** The BFF's token settings, pointing at this issuer. */
	static void register(DynamicPropertyRegistry registry) {
		environment().forEach((key, value) -> registry.add(key, () -> value));
	}

	/** The same settings as properties, for the Lambda edge. */
	static Map<String, String> environment() {
		return Map.of("gateway.security.jwt.issuer", DemoTokens.ISSUER, "gateway.security.jwt.audiences",
				DemoTokens.AUDIENCE, "gateway.security.jwt.jwk-set-uri", JWKS.baseUrl() + JWKS_PATH);
	}

}
