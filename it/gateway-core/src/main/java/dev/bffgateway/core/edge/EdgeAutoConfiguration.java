package dev.bffgateway.core.edge;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * What only the Lambda edge needs: metrics as CloudWatch embedded metric format on stdout, published after
 * every request (the container's {@code /actuator/prometheus} serves the same meters), and the client address
 * API Gateway saw. On by {@code gateway.edge.emf.enabled=true}, which the Lambda edge sets.
 */
@AutoConfiguration(afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@ConditionalOnProperty(name = "gateway.edge.emf.enabled", havingValue = "true")
public final class EdgeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EmbeddedMetricsPublisher embeddedMetricsPublisher(MeterRegistry registry, Clock clock,
			@Value("${gateway.edge.emf.namespace:BffGateway}") String namespace,
			@Value("${spring.application.name:bff}") String service,
			@Value("${gateway.edge.emf.prefixes:bff.,resilience4j.circuitbreaker.calls,resilience4j.circuitbreaker.not.permitted.calls}") List<String> prefixes) {
		return new EmbeddedMetricsPublisher(registry, clock, namespace, service, prefixes, System.out::println);
	}

	@Bean
	FilterRegistrationBean<EmbeddedMetricsFilter> embeddedMetricsFilter(EmbeddedMetricsPublisher publisher) {
		FilterRegistrationBean<EmbeddedMetricsFilter> registration = new FilterRegistrationBean<>(
				new EmbeddedMetricsFilter(publisher));
		// outermost, so the dashboard timer recorded inside is already there to publish
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<LambdaRequestFilter> lambdaRequestFilter() {
		FilterRegistrationBean<LambdaRequestFilter> registration = new FilterRegistrationBean<>(
				new LambdaRequestFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

}
