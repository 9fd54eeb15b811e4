package dev.bffgateway.core.replay;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Store and replay ({@code gateway.replay.*}): on where both a table and a queue are named, and only for the routes
 * that declare {@code on-unavailable: store}.
 *
 * @param table the DynamoDB table of stored requests (env {@code REPLAY_TABLE})
 * @param queueUrl the SQS FIFO queue that triggers replays (env {@code REPLAY_QUEUE_URL})
 * @param deadLetterQueueUrl the SQS FIFO queue a request goes to after its last attempt (env {@code REPLAY_DLQ_URL});
 * unset: it is only marked {@code FAILED}
 * @param endpoint the DynamoDB endpoint (and SQS's, unless {@code queue-endpoint} is set), for local peers; unset
 * means AWS's
 * @param queueEndpoint the SQS endpoint, for a local peer of its own (ElasticMQ); unset means {@code endpoint}
 * @param region the AWS region; unset means the SDK's chain ({@code AWS_REGION} on Lambda)
 * @param maxBodySize the largest body stored; a larger critical write gets {@code 413}. Default 256KB (SQS's limit
 * for a message, which a DynamoDB item, 400 KB, holds with room for the request's other fields)
 * @param rate replays per second per route, at most. Default 50
 * @param maxAttempts replays sent before a request is given up ({@code FAILED}, dead-letter queue). Default 10
 * @param maxAge how long a stored request may wait; older, it is {@code EXPIRED} and never sent. Default 24h
 * @param initialBackoff the wait before the second attempt; doubled for each further one. Default 1s
 * @param maxBackoff the longest wait between attempts. Default 15m
 * @param breakerOpenDelay how soon a request finding its side's breaker open is tried again (not an attempt: nothing
 * was sent). Default 5s
 * @param lease how long a worker's claim on a request lasts before another may take it over. Default 30s
 * @param storeTimeout the longest one call to DynamoDB or SQS may take, its retry included. Default 2s
 * @param poll whether this instance replays (a container: a poller; on Lambda the replay is a function of its own)
 */
@ConfigurationProperties("gateway.replay")
public record ReplayProperties(@Nullable String table, @Nullable String queueUrl, @Nullable String deadLetterQueueUrl,
		@Nullable URI endpoint, @Nullable URI queueEndpoint, @Nullable String region, @DefaultValue("256KB") DataSize maxBodySize,
		@DefaultValue("50") int rate, @DefaultValue("10") int maxAttempts, @DefaultValue("24h") Duration maxAge,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("15m") Duration maxBackoff,
		@DefaultValue("5s") Duration breakerOpenDelay, @DefaultValue("30s") Duration lease,
		@DefaultValue("2s") Duration storeTimeout, @DefaultValue("true") boolean poll) {

	static final String PREFIX = "gateway.replay";

	public ReplayProperties {
		if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > 256 * 1024) {
			throw new IllegalArgumentException(PREFIX + ".max-body-size must be 1B..256KB (SQS's and DynamoDB's "
					+ "limits), but was " + maxBodySize);
		}
		if (rate < 1) {
			throw new IllegalArgumentException(PREFIX + ".rate must be at least 1, but was " + rate);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException(PREFIX + ".max-attempts must be at least 1, but was " + maxAttempts);
		}
		positive("max-age", maxAge);
		positive("initial-backoff", initialBackoff);
		positive("max-backoff", maxBackoff);
		positive("breaker-open-delay", breakerOpenDelay);
		positive("lease", lease);
		positive("store-timeout", storeTimeout);
	}

	private static void positive(String key, Duration value) {
		if (!value.isPositive()) {
			throw new IllegalArgumentException(PREFIX + "." + key + " must be positive, but was " + value.toMillis() + "ms");
		}
	}

	/** @return whether requests can be stored: a table and a queue are named */
	public boolean enabled() {
		return this.table != null && !this.table.isBlank() && this.queueUrl != null && !this.queueUrl.isBlank();
	}

}
