package dev.bffgateway.core.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.bffgateway.core.config.LambdaProfile;
import dev.bffgateway.core.routing.RouteTables;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The BFF as a security boundary (see the package description). One stateless Spring Security filter chain
 * on both edges:
 * <ol>
 * <li>Spring Security's {@code StrictHttpFirewall}: a path not in normal form is refused ({@code 400});</li>
 * <li>{@link BoundaryFilter}: limits, forwarded and identity headers, {@code Connection}-listed headers;</li>
 * <li>the BFF's {@link ClientFilter}s (partner keys), on the public port only; the partner a filter admits
 * the request as ends up in the {@link Caller};</li>
 * <li>the bearer token (OAuth2 resource server, JWT) or, on Lambda by configuration, the
 * {@link EdgeAuthorizer}'s claims;</li>
 * <li>{@link Access}: builds the {@link Caller} (token, admitted partner, current trace id) and checks it;
 * actuator (management port only) and {@code /v3/api-docs} open, {@code GET /dashboard} and routes as
 * declared;</li>
 * <li>{@link CallerFilter}: the verified {@link Caller} and the user header.</li>
 * </ol>
 * Every piece can be replaced by declaring a bean of its type.
 */
@AutoConfiguration(afterName = { "dev.bffgateway.core.resilience.ResilienceAutoConfiguration",
		"dev.bffgateway.core.routing.RoutingAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(GatewaySecurityProperties.class)
public final class GatewaySecurityAutoConfiguration {

	/** The JWKS is fetched on a request's path the first time: never wait long for it. */
	private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	@ConditionalOnMissingBean
	JwtDecoder gatewayJwtDecoder(GatewaySecurityProperties properties, Clock clock, ResourceLoader resources,
			Environment environment) {
		GatewaySecurityProperties.Jwt jwt = properties.jwt();
		jwt.check();
		if (jwt.edgeAuthorizer() && !LambdaProfile.isActive(environment)) {
			throw new IllegalStateException("gateway.security.jwt.edge-authorizer must be false outside the Lambda "
					+ "edge (only API Gateway's authorizer can vouch for claims), but was true");
		}
		if (jwt.edgeAuthorizer() && jwt.jwkSetUri() == null && jwt.publicKeyLocation() == null) {
			return (token) -> {
				throw new BadJwtException("Bearer tokens are not verified here: the edge authorizer identifies callers");
			};
		}
		NimbusJwtDecoder decoder;
		if (jwt.jwkSetUri() != null) {
			decoder = NimbusJwtDecoder.withJwkSource(jwkSource(jwt.jwkSetUri()))
				.jwsAlgorithms((algorithms) -> jwt.algorithms().forEach((a) -> algorithms.add(SignatureAlgorithm.from(a))))
				.build();
		}
		else {
			decoder = NimbusJwtDecoder.withPublicKey(publicKey(jwt.publicKeyLocation(), resources))
				.signatureAlgorithm(SignatureAlgorithm.from(jwt.algorithms().get(0)))
				.build();
		}
		JwtTimestampValidator timestamps = new JwtTimestampValidator(jwt.clockSkew());
		timestamps.setClock(clock);
		timestamps.setAllowEmptyExpiryClaim(false);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(jwt.issuer())));
		return (jwt.verifiedTokens() > 0) ? new VerifiedTokens(decoder, timestamps, clock, jwt.verifiedTokens())
				: decoder;
	}

	/**
	 * The issuer's keys: fetched on the first token (2 s timeouts, 1 MB at most), cached for 5 minutes and refreshed
	 * ahead of expiry, fetched again for an unknown key id (a rotation) at most once every 30 s, however many
	 * tokens with made-up key ids arrive, and the last keys kept for an hour while the issuer cannot be reached.
	 */
	private static JWKSource<SecurityContext> jwkSource(URI jwkSetUri) {
		int timeout = (int) JWKS_TIMEOUT.toMillis();
		try {
			return JWKSourceBuilder.<SecurityContext>create(jwkSetUri.toURL(),
					new DefaultResourceRetriever(timeout, timeout, 1024 * 1024))
				.cache(Duration.ofMinutes(5).toMillis(), JWKS_TIMEOUT.toMillis())
				.refreshAheadCache(true)
				.rateLimited(Duration.ofSeconds(30).toMillis())
				.outageTolerant(Duration.ofHours(1).toMillis())
				.build();
		}
		catch (java.net.MalformedURLException ex) {
			throw new IllegalStateException("gateway.security.jwt.jwk-set-uri must be a URL, but was '" + jwkSetUri + "'", ex);
		}
	}

	private static RSAPublicKey publicKey(String location, ResourceLoader resources) {
		try (InputStream in = resources.getResource(location).getInputStream()) {
			return RsaKeyConverters.x509().convert(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("gateway.security.jwt.public-key-location cannot be read, but was '"
					+ location + "'", ex);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("gateway.security.jwt.public-key-location must hold a PEM RSA public key, "
					+ "but was '" + location + "'", ex);
		}
	}

	/**
	 * No observation per security filter, authentication and authorization: the request's own
	 * {@code http.server.requests} observation and trace cover it, and wrapping every filter of the chain in one
	 * is measurable on the proxy's hot path (docs/benchmarks.md).
	 */
	@Bean
	@ConditionalOnMissingBean
	SecurityObservationSettings gatewaySecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/** The path policy: Spring Security's strict firewall, header checks without regular expressions. */
	@Bean
	@ConditionalOnMissingBean
	HttpFirewall gatewayFirewall() {
		return Firewall.strict();
	}

	@Bean
	@ConditionalOnMissingBean
	RequestRejectedHandler gatewayRequestRejectedHandler() {
		return new Refusals();
	}

	@Bean
	@ConditionalOnMissingBean(SecurityFilterChain.class)
	SecurityFilterChain gatewaySecurityFilterChain(HttpSecurity http, GatewaySecurityProperties properties,
			JwtDecoder decoder, ObjectProvider<RouteTables> routes, ObjectProvider<CallerPolicy> policies,
			ObjectProvider<ClientFilter> clientFilters, ObjectProvider<Tracer> tracer, Environment environment)
			throws Exception {
		GatewaySecurityProperties.Jwt jwt = properties.jwt();
		jwt.check();
		Refusals refusals = new Refusals();
		var converter = Callers.converter(jwt.userClaim());
		Access access = new Access(routes.getIfAvailable(), jwt.audiences(), jwt.clients(), properties.dashboardScopes(),
				policies.orderedStream().toList(), traceIds(tracer.getIfUnique()));
		boolean lambda = LambdaProfile.isActive(environment);
		boolean edgeAuthorizer = jwt.edgeAuthorizer() && lambda;
		// on Lambda there is no management context (and no servlet context to look one up in): nothing is actuator
		RequestMatcher actuator = EndpointRequest.toAnyEndpoint();
		// the ops page lives beside the actuator, on the management port only (its actions check an operator token)
		ManagementPort ports = new ManagementPort(environment);
		RequestMatcher opsPage = (request) -> ports.isManagement(request)
				&& (request.getRequestURI().equals("/ops") || request.getRequestURI().startsWith("/ops/"));
		// a request on the public port is never the management server's: known without asking Boot's matcher
		RequestMatcher management = lambda ? (request) -> false
				: (request) -> !ports.isPublic(request) && (actuator.matches(request) || opsPage.matches(request));
		http.csrf(AbstractHttpConfigurer::disable) // no cookie carries authority: tokens come in a header
			// no sessions at all: each request carries its token (and the Lambda adapter's requests cannot change
			// a session id, which session fixation protection would try)
			.sessionManagement(AbstractHttpConfigurer::disable)
			.securityContext((context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.requestCache(AbstractHttpConfigurer::disable)
			// nothing here logs in or out, reads the principal through the servlet API, or needs an anonymous
			// token (a public route's decision never asks who calls): fewer filters and request wrappers per request
			.logout(AbstractHttpConfigurer::disable)
			.servletApi(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			// an API, not pages: nosniff only. No frame options or XSS header; caching is the answer's own business
			// (a proxy passes it on); HSTS belongs where TLS ends (the load balancer, API Gateway)
			.headers((headers) -> headers.frameOptions((frames) -> frames.disable())
				.cacheControl((cache) -> cache.disable())
				.xssProtection((xss) -> xss.disable())
				.httpStrictTransportSecurity((hsts) -> hsts.disable()))
			.addFilterBefore(new BoundaryFilter(properties, lambda, edgeAuthorizer), DisableEncodeUrlFilter.class);
		for (ClientFilter client : clientFilters.orderedStream().toList()) {
			http.addFilterAfter(new PublicPortOnly(client, management), SecurityContextHolderFilter.class);
		}
		if (edgeAuthorizer) {
			http.addFilterBefore(new EdgeAuthorizer(jwt.issuer(), converter, refusals), BearerTokenAuthenticationFilter.class);
		}
		DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
		// behind API Gateway's authorizer the token it verified still arrives: its claims identify the caller
		BearerTokenResolver tokens = edgeAuthorizer
				? (request) -> (request.getAttribute(EdgeAuthorizer.ATTRIBUTE) != null) ? null : bearer.resolve(request)
				: bearer;
		http.oauth2ResourceServer((server) -> server.bearerTokenResolver(tokens)
			.jwt((token) -> token.decoder(decoder).jwtAuthenticationConverter(converter))
			.authenticationEntryPoint(refusals)
			.accessDeniedHandler(refusals))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
			.authorizeHttpRequests((requests) -> requests.requestMatchers(management)
				.permitAll()
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/error")
				.permitAll()
				.requestMatchers("/dashboard") // every method: a HEAD must not skip the scope check
				.access(access.dashboard())
				.anyRequest()
				.access(access.routes()))
			.addFilterAfter(new CallerFilter(properties.userHeader()), AuthorizationFilter.class);
		return http.build();
	}

	/**
	 * The current trace id, as the BFF's tracer has it (what its logs and the {@code traceparent} it sends carry);
	 * the tracer is looked up once, not per request.
	 */
	static Supplier<@Nullable String> traceIds(@Nullable Tracer tracer) {
		if (tracer == null) {
			return () -> null;
		}
		return () -> {
			Span span = tracer.currentSpan();
			String traceId = (span != null) ? span.context().traceId() : null;
			return (traceId != null && !traceId.isEmpty()) ? traceId : null; // a no-op tracer's span has ""
		};
	}

	/**
	 * Tomcat hands an encoded {@code /} to the application instead of answering {@code 400} itself with an HTML
	 * page, so the firewall refuses it with a problem like every other path not in normal form.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.catalina.connector.Connector")
	@Profile("!" + LambdaProfile.NAME) // decided by profile, not classpath, so the Lambda edge's AOT context leaves it out too
	static class TomcatConfiguration {

		@Bean
		TomcatConnectorCustomizer gatewayEncodedSlashes() {
			return (connector) -> connector.setEncodedSolidusHandling("passthrough");
		}

		/** What Tomcat refuses itself (an encoded {@code \}, a NUL, a malformed request) is a problem too. */
		@Bean
		TomcatContextCustomizer gatewayProblemErrorPages() {
			return (context) -> {
				if (context.getParent() instanceof StandardHost host) {
					host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
			};
		}

	}

	/**
	 * A {@link ClientFilter} in the chain, skipped on the management port. A plain filter: the chain runs it once,
	 * and each client filter runs (a {@code OncePerRequestFilter}'s marker would be shared by all of them).
	 */
	private static final class PublicPortOnly implements Filter {

		private final ClientFilter filter;

		private final RequestMatcher management;

		PublicPortOnly(ClientFilter filter, RequestMatcher management) {
			this.filter = filter;
			this.management = management;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			HttpServletRequest http = (HttpServletRequest) request;
			if (this.management.matches(http)) {
				chain.doFilter(request, response);
				return;
			}
			this.filter.filter(http, (HttpServletResponse) response, new Admissions(chain));
		}

	}

}
