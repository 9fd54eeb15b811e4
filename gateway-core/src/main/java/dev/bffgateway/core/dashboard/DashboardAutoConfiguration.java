package dev.bffgateway.core.dashboard;

import java.util.concurrent.ExecutorService;

import dev.bffgateway.core.aggregation.AggregationAutoConfiguration;
import dev.bffgateway.core.aggregation.FanOut;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@code GET /dashboard} for the BFF's {@link DashboardDefinition}; off when the BFF declares none or sets
 * {@code gateway.dashboard.enabled=false}.
 */
@AutoConfiguration(after = AggregationAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "gateway.dashboard.enabled", matchIfMissing = true)
@ConditionalOnBean(DashboardDefinition.class)
@EnableConfigurationProperties(DashboardProperties.class)
public final class DashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FanOut dashboardFanOut(DashboardProperties properties,
			@Qualifier(AggregationAutoConfiguration.FAN_OUT_EXECUTOR) ExecutorService executor) {
		return new FanOut(executor, properties.deadline());
	}

	@Bean
	@ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
	DashboardOpenApi dashboardOpenApi(DashboardDefinition definition) {
		return new DashboardOpenApi(definition);
	}

	@Bean
	DashboardController dashboardController(DashboardDefinition definition, FanOut fanOut, MeterRegistry meters) {
		return new DashboardController(definition, fanOut, meters);
	}

}
