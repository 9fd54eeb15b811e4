package dev.bffgateway.partner;

import dev.bffgateway.core.proxy.RouteShaper;
import dev.bffgateway.core.security.CallerPolicy;
import dev.bffgateway.core.security.ClientFilter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The partner policy: who gets in, how often, and (in {@link PartnerDashboard}) what they see. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PartnerProperties.class)
class PartnerConfiguration {

	@Bean
	RateLimiterRegistry partnerRateLimiters() {
		return RateLimiterRegistry.ofDefaults();
	}

	@Bean
	PartnerAllowLists partnerAllowLists(PartnerProperties properties) {
		return new PartnerAllowLists(properties);
	}

	/**
	 * A partner route's JSON answers carry only the fields on the partner's allow-list for that route id
	 * ({@code partner.partners.<id>.fields.<route-id>}), failing closed; a route declared
	 * {@code shape: passthrough} is passed as it is.
	 */
	@Bean
	RouteShaper partnerRouteShaper(PartnerAllowLists allowLists) {
		return (route, request, answer) -> allowLists.shape(request, route.id(), answer);
	}

	/** Keys and rate limits, in gateway-core's security chain before the bearer token is checked. */
	@Bean
	ClientFilter partnerGate(PartnerProperties properties, RateLimiterRegistry limiters) {
		return new PartnerGate(properties, limiters);
	}

	/**
	 * The open-banking model: a partner reads a user's data only with a token the user delegated to that partner,
	 * so its client claim ({@code azp} or {@code client_id}) must be the partner's OAuth client; another partner's
	 * token, even a valid one, gets {@code 403}.
	 */
	@Bean
	CallerPolicy delegatedToThePartner(PartnerProperties properties) {
		return (caller, request) -> {
			String partner = caller.partner();
			PartnerProperties.Partner config = (partner != null) ? properties.partners().get(partner) : null;
			if (config == null) {
				return "No partner key came with this request.";
			}
			String expected = config.oauthClientId(partner);
			return expected.equals(caller.clientId()) ? null
					: "The token was not delegated to this partner (its client is not the partner's).";
		};
	}

}
