package dev.bffgateway.core.replay;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import dev.bffgateway.core.config.AwsClients;
import dev.bffgateway.core.config.LambdaProfile;
import dev.bffgateway.core.downstream.PooledHttpClient;
import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import dev.bffgateway.core.routing.Strangler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Store and replay, on where {@code gateway.replay.table} ({@code REPLAY_TABLE}) and {@code gateway.replay.queue-url}
 * ({@code REPLAY_QUEUE_URL}) are named. The beans are declared either way and decide at startup, so the Lambda edge's
 * Spring AOT context still turns it on from the function's environment. The store's clients are AWS SDK v2's on the
 * JDK's {@code HttpURLConnection} client, every call bounded by {@code store-timeout}; replays go out on a pooled
 * Apache client of their own (no redirects followed, no automatic retries).
 */
@AutoConfiguration(after = { ResilienceAutoConfiguration.class, RoutingAutoConfiguration.class })
@ConditionalOnProperty(name = "gateway.replay.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReplayProperties.class)
public final class ReplayAutoConfiguration {

	/** What store and replay are made of, where they are configured; closed with the context. */
	record Replay(RequestStore store, ReplayQueue queue, AutoCloseable clients) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.clients.close();
		}

	}

	@Bean
	@Nullable Replay replay(ReplayProperties properties) {
		if (!properties.enabled()) {
			return null;
		}
		DynamoDbClient dynamo = AwsClients.configure(DynamoDbClient.builder(), properties.storeTimeout(),
				properties.endpoint(), properties.region(), ReplayProperties.PREFIX).build();
		SqsClient sqs = AwsClients.configure(SqsClient.builder(), properties.storeTimeout(),
				(properties.queueEndpoint() != null) ? properties.queueEndpoint() : properties.endpoint(),
				properties.region(), ReplayProperties.PREFIX).build();
		String deadLetters = properties.deadLetterQueueUrl();
		return new Replay(new DynamoDbRequestStore(dynamo, properties.table(), properties.maxAge()),
				new SqsReplayQueue(sqs, properties.queueUrl(),
						(deadLetters != null && !deadLetters.isBlank()) ? deadLetters : null),
				() -> {
					dynamo.close();
					sqs.close();
				});
	}

	@Bean
	@Nullable CriticalWrites criticalWrites(ObjectProvider<Replay> replay, ReplayProperties properties, Clock clock,
			MeterRegistry meters) {
		Replay configured = replay.getIfAvailable();
		if (configured == null) {
			return null;
		}
		return new CriticalWrites(configured.store(), configured.queue(), properties.maxBodySize().toBytes(), clock,
				meters);
	}

	@Bean
	@Nullable Replays replays(ObjectProvider<Replay> replay, ReplayProperties properties, RouteTables tables,
			Strangler strangler, RestClient.Builder builder, HttpClientSettings settings, Clock clock,
			MeterRegistry meters, @Value("${gateway.security.user-header:X-User-Id}") String userHeader) {
		Replay configured = replay.getIfAvailable();
		if (configured == null) {
			return null;
		}
		RestClient client = builder.clone()
			.requestFactory(PooledHttpClient
				.configure(ClientHttpRequestFactoryBuilder.httpComponents(), 50, 200, Duration.ofSeconds(1))
				.build(settings.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10))))
			.build();
		return new Replays(new ReplayWorker(configured.store(), configured.queue(),
				(id) -> tables.current().routes().stream().filter((r) -> r.id().equals(id)).findFirst().orElse(null),
				strangler, client, properties, userHeader, clock, meters));
	}

	/** The Lambda replay worker: {@code spring.cloud.function.definition=replayRequests} behind the SQS queue. */
	@Bean
	Function<SqsBatch.Event, SqsBatch.Response> replayRequests(ObjectProvider<Replays> replays,
			ObjectProvider<Replay> replay, ReplayProperties properties) {
		Replay configured = replay.getIfAvailable();
		return new ReplayFunction(replays.getIfAvailable(), (configured != null) ? configured.queue() : null,
				properties.initialBackoff());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class WebConfiguration {

		/** {@code GET /requests/{id}}, a stored request's status to its owner. */
		@Bean
		RouterFunction<ServerResponse> requestStatusRoutes(ObjectProvider<Replay> replay) {
			Replay configured = replay.getIfAvailable();
			return RouterFunctions.route(RequestPredicates.GET(RequestStatusHandler.PATH + "{id}"),
					new RequestStatusHandler((configured != null) ? configured.store() : null));
		}

		/** The container replays in the background; on Lambda the replay is a function of its own. */
		@Bean
		@Nullable ReplayPoller replayPoller(ObjectProvider<Replay> replay, ObjectProvider<Replays> replays,
				ReplayProperties properties, Environment environment, MeterRegistry meters, Clock clock) {
			Replay configured = replay.getIfAvailable();
			Replays running = replays.getIfAvailable();
			if (configured == null || running == null || !properties.poll() || LambdaProfile.isActive(environment)) {
				return null;
			}
			ReplayPoller poller = new ReplayPoller(configured.queue(), running, configured.store(),
					properties.initialBackoff(), properties.breakerOpenDelay());
			Gauge.builder("bff.replay.queue.depth", poller, ReplayPoller::depth)
				.description("Replay messages waiting or in flight, as SQS estimates them (read every 10 s)")
				.register(meters);
			Gauge.builder("bff.replay.oldest.pending.age", poller,
					(p) -> (p.oldestPendingAt() == 0) ? 0 : (clock.millis() - p.oldestPendingAt()) / 1000.0)
				.description("Seconds since the oldest pending request was stored (read every 10 s)")
				.baseUnit("seconds")
				.register(meters);
			return poller;
		}

	}

}
