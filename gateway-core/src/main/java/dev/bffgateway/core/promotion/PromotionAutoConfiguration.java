package dev.bffgateway.core.promotion;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import dev.bffgateway.core.config.AwsClients;
import dev.bffgateway.core.config.LambdaProfile;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Promotion and rollback for the routes that declare a policy, shared through the circuits table
 * ({@code gateway.circuits.shared.table}) where one is named, advice only where not. In a container a background
 * thread ticks every second; on Lambda an invocation that finds the last tick older than a second ticks first
 * ({@link PromotionRefreshFilter}), so sandboxes add their counts and follow the decided weights too.
 */
@AutoConfiguration(after = RoutingAutoConfiguration.class, afterName = "dev.bffgateway.core.circuit.SharedCircuitsAutoConfiguration")
@ConditionalOnProperty(name = "gateway.promotion.enabled", matchIfMissing = true)
@ConditionalOnBean(RouteTables.class)
public final class PromotionAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PromotionAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	Store promotionStore(Environment environment) {
		String table = environment.getProperty("gateway.circuits.shared.table", "");
		if (table.isBlank()) {
			return new Store(new MemoryPromotionStore(), () -> {
			});
		}
		String namespace = environment.getProperty("gateway.circuits.shared.namespace",
				environment.getProperty("spring.application.name", "bff"));
		DynamoDbClient dynamo = AwsClients.configure(DynamoDbClient.builder(),
				environment.getProperty("gateway.circuits.shared.store-timeout", Duration.class, Duration.ofMillis(500)),
				environment.getProperty("gateway.circuits.shared.endpoint", java.net.URI.class),
				environment.getProperty("gateway.circuits.shared.region"), "gateway.circuits.shared")
			.build();
		return new Store(new DynamoDbPromotionStore(dynamo, table, namespace), dynamo::close);
	}

	/** The store and what to close with it. */
	record Store(PromotionStore store, AutoCloseable resources) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.resources.close();
		}

	}

	@Bean
	Promotions promotions(RouteTables tables, Store store, MeterRegistry meters, Clock clock) {
		return new Promotions(tables, store.store(), meters, clock, instance());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		PromotionEndpoint promotionEndpoint(RouteTables tables, Promotions promotions) {
			return new PromotionEndpoint(tables, promotions);
		}

	}

	/** On Lambda, invocations tick (no thread runs between them); in a container the registration is disabled. */
	@Bean
	FilterRegistrationBean<PromotionRefreshFilter> promotionRefreshFilter(Promotions promotions, Environment environment) {
		FilterRegistrationBean<PromotionRefreshFilter> registration = new FilterRegistrationBean<>(
				new PromotionRefreshFilter(promotions, System::nanoTime));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		registration.setEnabled(LambdaProfile.isActive(environment));
		return registration;
	}

	@Bean
	SmartLifecycle promotionTicker(Promotions promotions, Environment environment) {
		boolean background = !LambdaProfile.isActive(environment);
		return new SmartLifecycle() {

			private volatile @Nullable Thread thread;

			@Override
			public void start() {
				promotions.tick();
				if (background) {
					this.thread = Thread.ofPlatform().daemon().name("promotion").start(() -> {
						while (!Thread.currentThread().isInterrupted()) {
							try {
								Thread.sleep(Duration.ofSeconds(1));
								promotions.tick();
							}
							catch (InterruptedException ex) {
								return;
							}
							catch (RuntimeException ex) {
								logger.warn("Promotion: a tick failed unexpectedly", ex);
							}
						}
					});
				}
			}

			@Override
			public void stop() {
				Thread running = this.thread;
				this.thread = null;
				if (running != null) {
					running.interrupt();
				}
			}

			@Override
			public boolean isRunning() {
				return this.thread != null;
			}

			@Override
			public int getPhase() {
				return 0; // before the web server: a restart serves the promoted weight from its first request
			}

		};
	}

	private static String instance() {
		String random = UUID.randomUUID().toString().substring(0, 8);
		try {
			return InetAddress.getLocalHost().getHostName() + "/" + random;
		}
		catch (UnknownHostException ex) {
			return "instance/" + random;
		}
	}

}
