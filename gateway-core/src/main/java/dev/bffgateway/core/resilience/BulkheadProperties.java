package dev.bffgateway.core.resilience;

import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Resilience4j's own bulkhead configuration, bound from {@code resilience4j.bulkhead}: named {@code configs}
 * ({@code default}: 100 concurrent calls, refused at once rather than queued) and {@code instances} by
 * dependency name.
 */
@ConfigurationProperties("resilience4j.bulkhead")
class BulkheadProperties extends CommonBulkheadConfigurationProperties {

}
