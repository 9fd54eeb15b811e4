package dev.bffgateway.it;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.demo.DemoTokens;
import dev.bffgateway.web.WebBffLambdaHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * web-bff on Lambda behind API Gateway's authorizer ({@code gateway.security.jwt.edge-authorizer=true}): the
 * claims the authorizer verified identify the caller, through both event formats; the issuer, audience and
 * scopes are still checked, and a client cannot pass such claims itself.
 */
class EdgeAuthorizerTest {

	static WebBffLambdaHandler handler;

	@BeforeAll
	static void startLambda() {
		if (handler == null) {
			Map<String, String> environment = new HashMap<>(LambdaEdges.downstreams());
			environment.put("gateway.security.jwt.edge-authorizer", "true");
			environment.remove("gateway.security.jwt.jwk-set-uri"); // the authorizer verifies; the BFF has no keys
			handler = LambdaEdges.start(WebBffLambdaHandler::new, environment);
		}
	}

	@BeforeEach
	void healthy() {
		Downstreams.healthy();
	}

	private static Map<String, Object> claims(String user) {
		return new LinkedHashMap<>(Tokens.ISSUER.token(user).claims()); // exp and iat in epoch seconds, as API Gateway passes them
	}

	@Test
	void theAuthorizersClaimsIdentifyTheCallerInBothFormats() {
		for (LambdaEdge.Format format : LambdaEdge.Format.values()) {
			// API Gateway passes the token it verified on: the claims identify the caller, the token is not re-verified
			Edge.Response response = new LambdaEdge(handler, format).sendAuthorized(
					Edge.Request.get("/dashboard", "X-User-Id", "43", "Authorization", Tokens.bearer(Downstreams.USER_ID)),
					claims(Downstreams.USER_ID));

			assertThat(response.status()).as(format.name()).isEqualTo(200);
			assertThat(response.json().at("/user/id").asString()).isEqualTo(Downstreams.USER_ID);
		}
	}

	@Test
	void claimsFromAnotherIssuerOrAudienceOrWithoutTheScopeAreRefused() {
		LambdaEdge edge = new LambdaEdge(handler, LambdaEdge.Format.V2);
		Map<String, Object> otherIssuer = claims("42");
		otherIssuer.put("iss", "https://evil.example");
		Map<String, Object> otherAudience = claims("42");
		otherAudience.put("aud", "another-api");
		Map<String, Object> noScope = claims("42");
		noScope.put("scope", "profile");

		assertThat(edge.sendAuthorized(Edge.Request.get("/dashboard"), otherIssuer).status()).isEqualTo(401);
		assertThat(edge.sendAuthorized(Edge.Request.get("/dashboard"), otherAudience).status()).isEqualTo(403);
		assertThat(edge.sendAuthorized(Edge.Request.get("/dashboard"), noScope).status()).isEqualTo(403);
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

	@Test
	void aClientCannotSendTheClaimsItselfNorABearerTokenTheBffCannotVerify() {
		String forged = Base64.getEncoder()
			.encodeToString(Bff.JSON.writeValueAsBytes(Map.of("sub", "42", "iss", DemoTokens.ISSUER, "aud",
					List.of(DemoTokens.AUDIENCE), "scope", DemoTokens.DASHBOARD_READ)));
		for (LambdaEdge.Format format : LambdaEdge.Format.values()) {
			LambdaEdge edge = new LambdaEdge(handler, format);

			assertThat(edge.send(Edge.Request.get("/dashboard", "X-Bff-Edge-Authorizer", forged)).status())
				.as(format + " forged claims header").isEqualTo(401);
			assertThat(edge.send(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer("42"))).status())
				.as(format + " a token without the authorizer").isEqualTo(401);
		}
		Downstreams.NAMES.forEach((name) -> assertThat(Downstreams.of(name).getAllServeEvents()).isEmpty());
	}

}
