package dev.bffgateway.partner;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The partner policy: who gets in, how often, and (in {@link PartnerDashboard}) what they see. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PartnerProperties.class)
class PartnerConfiguration {

	@Bean
	RateLimiterRegistry partnerRateLimiters() {
		return RateLimiterRegistry.ofDefaults();
	}

	@Bean
	FilterRegistrationBean<PartnerGate> partnerGate(PartnerProperties properties, RateLimiterRegistry limiters) {
		FilterRegistrationBean<PartnerGate> registration = new FilterRegistrationBean<>(
				new PartnerGate(properties, limiters));
		// after the observation filter, so a refused request still has a trace id in its log lines
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
