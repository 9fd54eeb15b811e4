package dev.bffgateway.core.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTables;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may make a request, decided on what it matched: {@code GET /dashboard} needs a verified caller with the
 * dashboard scopes; a strangler route needs one with the route's scopes unless it is declared
 * {@code auth: none}; anything else (an unknown path) needs a verified caller, so the BFF never tells an
 * anonymous client which paths exist. A verified caller must also hold a token for one of the configured
 * audiences and satisfy every {@link CallerPolicy}.
 *
 * <p>A token that is not valid never gets here (answered {@code 401} by the resource server); a valid token
 * that may not make the request is refused with a {@link Refusal} ({@code 403}).
 */
final class Access {

	private final RouteTables routes;

	private final Set<String> audiences;

	private final Set<String> dashboardScopes;

	private final List<CallerPolicy> policies;

	private final Set<String> clients;

	private final Supplier<@Nullable String> traceIds;

	/**
	 * Holds the {@link Caller} of a request whose caller passed every check here: only such a caller is pinned and
	 * forwarded, and it is the very value the checks saw.
	 */
	static final String VERIFIED = Access.class.getName() + ".verified";

	Access(@Nullable RouteTables routes, Collection<String> audiences, Collection<String> clients,
			Collection<String> dashboardScopes, List<CallerPolicy> policies, Supplier<@Nullable String> traceIds) {
		this.routes = routes;
		this.audiences = Set.copyOf(audiences);
		this.clients = Set.copyOf(clients);
		this.dashboardScopes = Set.copyOf(dashboardScopes);
		this.policies = List.copyOf(policies);
		this.traceIds = traceIds;
	}

	/** A refusal of a verified caller, with the reason the client is told. */
	static final class Refusal extends AuthorizationDecision {

		private final String reason;

		private final @Nullable String scope;

		Refusal(String reason, @Nullable String scope) {
			super(false);
			this.reason = reason;
			this.scope = scope;
		}

		String reason() {
			return this.reason;
		}

		/** @return the scopes the request needs when a missing scope is the reason (RFC 6750 {@code insufficient_scope}) */
		@Nullable String scope() {
			return this.scope;
		}

	}

	AuthorizationManager<RequestAuthorizationContext> dashboard() {
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
					RequestAuthorizationContext context) {
				return identified(authentication.get(), context.getRequest(), Access.this.dashboardScopes);
			}
		};
	}

	AuthorizationManager<RequestAuthorizationContext> routes() {
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
					RequestAuthorizationContext context) {
				HttpServletRequest request = context.getRequest();
				Route route = (Access.this.routes != null) ? Access.this.routes.current()
					.match(request.getMethod(), pathWithinApplication(request))
					.orElse(null) : null;
				if (route != null && route.auth() == Route.Auth.NONE) {
					return new AuthorizationDecision(true);
				}
				return identified(authentication.get(), request, (route != null) ? route.scopes() : Set.of());
			}
		};
	}

	private AuthorizationResult identified(@Nullable Authentication authentication, HttpServletRequest request,
			Set<String> scopes) {
		if (!(authentication instanceof JwtAuthenticationToken token) || !token.isAuthenticated()) {
			return new AuthorizationDecision(false); // anonymous: answered 401
		}
		Jwt jwt = token.getToken();
		if ("id".equals(jwt.getClaimAsString("token_use"))) {
			return new Refusal("An ID token is not an access token.", null);
		}
		if (!forThisApi(jwt)) {
			return new Refusal("The token was not issued for this API (audience).", null);
		}
		Caller caller = Callers.of(token, Admissions.partner(request), this.traceIds.get());
		if (!this.clients.isEmpty() && (caller.clientId() == null || !this.clients.contains(caller.clientId()))) {
			return new Refusal("The token was issued to a client this BFF does not serve.", null);
		}
		if (!caller.scopes().containsAll(scopes)) {
			String needed = String.join(" ", scopes.stream().sorted().toList());
			return new Refusal("The token lacks a scope this request needs: " + needed + ".", needed);
		}
		for (CallerPolicy policy : this.policies) {
			String refusal = policy.refusal(caller, request);
			if (refusal != null) {
				return new Refusal(refusal, null);
			}
		}
		request.setAttribute(VERIFIED, caller);
		return new AuthorizationDecision(true);
	}

	/**
	 * A token is for this API when its {@code aud} names one of the audiences; a Cognito access token has no
	 * {@code aud} and names its app client in {@code client_id} instead, which then counts as its audience.
	 */
	private boolean forThisApi(Jwt jwt) {
		List<String> audience = jwt.getAudience();
		if (audience != null && !audience.isEmpty()) {
			return audience.stream().anyMatch(this.audiences::contains);
		}
		String client = jwt.getClaimAsString("client_id");
		return client != null && this.audiences.contains(client);
	}

	static String pathWithinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		return (context != null && !context.isEmpty() && uri.startsWith(context)) ? uri.substring(context.length()) : uri;
	}

}
