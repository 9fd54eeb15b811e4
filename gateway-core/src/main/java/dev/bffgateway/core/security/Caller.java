package dev.bffgateway.core.security;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The verified caller of a request: who the user is, which client acts for them, and which partner the BFF's
 * {@link ClientFilter} admitted. Built once, by the security chain, when the request passed every check; passed on
 * as a value (a dashboard definition receives it). Nothing in it comes from a header the client could set: the user,
 * client and scopes come from a verified token (or the claims API Gateway's authorizer verified), the partner from
 * the client filter that checked the partner's key.
 *
 * @param userId the user, from the configured claim ({@code gateway.security.jwt.user-claim}, default
 * {@code sub}); 1 to 64 letters, digits, {@code -} or {@code _}
 * @param clientId the OAuth client the token was issued to ({@code azp}, else {@code client_id}), if the token
 * names one
 * @param scopes the token's scopes ({@code scope} or {@code scp})
 * @param partner the partner a {@link ClientFilter} admitted the request as
 * ({@link ClientFilter.Chain#proceedAs}), or {@code null} when the BFF has no partners
 * @param traceId the id of the request's trace as the BFF's tracer has it (Micrometer Tracing's current span), or
 * {@code null} when tracing is off. The tracer continues a W3C {@code traceparent} it is given
 * ({@code management.tracing.propagation}), so this correlates logs and calls; it is never an authority
 */
public record Caller(String userId, @Nullable String clientId, Set<String> scopes, @Nullable String partner,
		@Nullable String traceId) {

	/** The request attribute holding the {@link Caller} of an identified request. */
	public static final String ATTRIBUTE = Caller.class.getName();

	public Caller {
		Objects.requireNonNull(userId, "userId");
		scopes = Set.copyOf(scopes);
	}

	/**
	 * @param request a request that went through the security filter chain
	 * @return its verified caller, or empty for a public request without one
	 */
	public static Optional<Caller> of(HttpServletRequest request) {
		return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
	}

}
