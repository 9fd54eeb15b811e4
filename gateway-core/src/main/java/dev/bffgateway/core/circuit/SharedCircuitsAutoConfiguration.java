package dev.bffgateway.core.circuit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;

import dev.bffgateway.core.config.AwsClients;
import dev.bffgateway.core.config.LambdaProfile;
import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Shared circuit state ({@link SharedCircuits}), on when {@code gateway.circuits.shared.table} (env
 * {@code CIRCUITS_TABLE}) names a table; off otherwise, when every instance's breakers count and decide alone.
 * The beans are declared whether or not a table is named and decide at startup, so the Lambda edge's Spring AOT
 * context, generated at build time, still turns sharing on from the function's environment.
 *
 * <p>The store's clients are AWS SDK v2's, on the JDK's {@code HttpURLConnection} client (no extra pool, no
 * Netty), with every wait bounded: connect and read within {@code store-timeout}, one call with its retry within it
 * too, two attempts at most. The region is {@code region} or the SDK's chain ({@code AWS_REGION} on Lambda).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnProperty(name = "gateway.circuits.shared.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SharedCircuitsProperties.class)
public final class SharedCircuitsAutoConfiguration {

	/** @return the shared circuits, or {@code null} (no bean) when no table is named */
	@Bean
	@Nullable SharedCircuits sharedCircuits(SharedCircuitsProperties properties, CircuitBreakerRegistry breakers,
			MeterRegistry meters, Clock clock, Environment environment) {
		String table = properties.table();
		if (table == null || table.isBlank()) {
			return null;
		}
		String namespace = (properties.namespace() != null) ? properties.namespace()
				: environment.getProperty("spring.application.name", "bff");
		DynamoDbClient dynamo = AwsClients.configure(DynamoDbClient.builder(), properties.storeTimeout(),
				properties.endpoint(), properties.region(), SharedCircuitsProperties.PREFIX).build();
		SsmClient ssm = null;
		OverrideSource overrides = null;
		SharedCircuitsProperties.Overrides settings = properties.overrides();
		if (settings.enabled()) {
			ssm = AwsClients.configure(SsmClient.builder(), properties.storeTimeout(), properties.endpoint(),
					properties.region(), SharedCircuitsProperties.PREFIX).build();
			String path = (settings.path() != null) ? settings.path() : "/bff/" + namespace + "/circuits";
			overrides = new SsmOverrides(ssm, path);
		}
		SsmClient ssmClient = ssm;
		AutoCloseable clients = () -> {
			dynamo.close();
			if (ssmClient != null) {
				ssmClient.close();
			}
		};
		return new SharedCircuits(breakers, new DynamoDbCircuitStore(dynamo, table, namespace, properties.ttl()),
				overrides, instance(environment), clock, System::nanoTime, new SharedCircuits.Settings(properties.refreshInterval(),
						properties.probeLease(), settings.maxAge()),
				meters, clients);
	}

	@Bean
	@Nullable SharedCircuitsLifecycle sharedCircuitsLifecycle(ObjectProvider<SharedCircuits> circuits,
			Environment environment) {
		SharedCircuits shared = circuits.getIfAvailable();
		return (shared != null) ? new SharedCircuitsLifecycle(shared, !LambdaProfile.isActive(environment)) : null;
	}

	@Configuration(proxyBeanMethods = false)
	@Profile(LambdaProfile.NAME)
	static class LambdaConfiguration {

		/** Always a registration (the servlet context takes no null one), disabled when sharing is off. */
		@Bean
		FilterRegistrationBean<InvocationSyncFilter> invocationSyncFilter(ObjectProvider<SharedCircuits> circuits,
				SharedCircuitsProperties properties) {
			SharedCircuits shared = circuits.getIfAvailable();
			FilterRegistrationBean<InvocationSyncFilter> registration = new FilterRegistrationBean<>(
					new InvocationSyncFilter(shared, properties.invocationTimeout(), properties.storeTimeout()));
			// right after the Lambda edge's own request filter: before security, before any downstream call
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
			registration.setEnabled(shared != null);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@Nullable HealthIndicator sharedCircuitsHealthIndicator(ObjectProvider<SharedCircuits> circuits,
				SharedCircuitsProperties properties) {
			SharedCircuits shared = circuits.getIfAvailable();
			return (shared != null) ? new SharedCircuitsHealthIndicator(shared, String.valueOf(properties.table()))
					: null;
		}

	}

	/** The instance's name in the store: the Lambda log stream (one per sandbox), or host name and a random part. */
	private static String instance(Environment environment) {
		String stream = environment.getProperty("AWS_LAMBDA_LOG_STREAM_NAME");
		String random = UUID.randomUUID().toString().substring(0, 8);
		if (stream != null && !stream.isBlank()) {
			return stream;
		}
		try {
			return InetAddress.getLocalHost().getHostName() + "/" + random;
		}
		catch (UnknownHostException ex) {
			return "instance/" + random;
		}
	}

}
