package dev.bffgateway.core.ops;

import dev.bffgateway.core.promotion.Promotions;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.Strangler;
import dev.bffgateway.core.shadow.ShadowRuns;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The ops page on the management port's own server (the management context), beside the actuator, never on the
 * public port. Off with {@code gateway.ops.enabled=false}.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.ops.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OpsProperties.class)
public class OpsManagementContextConfiguration {

	@Bean
	ServletRegistrationBean<OpsServlet> opsServlet(ObjectProvider<RouteTables> tables,
			ObjectProvider<Strangler> strangler, CircuitBreakerRegistry breakers, ObjectProvider<ShadowRuns> shadows,
			ObjectProvider<Promotions> promotions, OpsProperties properties,
			@Value("${spring.application.name:bff}") String application) {
		OpsPage page = new OpsPage(tables.getObject(), strangler.getObject(), breakers, shadows.getIfAvailable(),
				promotions.getIfAvailable(), properties.refresh());
		ServletRegistrationBean<OpsServlet> registration = new ServletRegistrationBean<>(
				new OpsServlet(page, promotions.getIfAvailable(), properties.operators(), application), "/ops", "/ops/*");
		registration.setName("ops");
		return registration;
	}

}
