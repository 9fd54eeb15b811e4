package dev.bffgateway.core.config;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * How gateway-core builds its AWS SDK v2 clients (DynamoDB, SSM, SQS): on the JDK's {@code HttpURLConnection} client
 * (no extra pool, no Netty), with every wait bounded (connect and read within the timeout, one call with its one
 * retry within it too), the region given or the SDK's chain ({@code AWS_REGION} on Lambda), and an endpoint override
 * for a local peer (moto, ElasticMQ), where any region will do.
 */
public final class AwsClients {

	private AwsClients() {
	}

	/**
	 * @param builder a service's client builder, e.g. {@code DynamoDbClient.builder()}
	 * @param timeout the longest one call may take
	 * @param endpoint a local peer's endpoint, or {@code null} for AWS's
	 * @param region the region, or {@code null} for the SDK's chain
	 * @param prefix the settings' prefix, for the message when no region can be found, e.g. {@code gateway.replay}
	 * @return the builder, configured
	 * @throws IllegalStateException when no region is given, the chain finds none and no endpoint is set
	 */
	public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
			Duration timeout, @Nullable URI endpoint, @Nullable String region, String prefix) {
		builder.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
			.overrideConfiguration((config) -> config.apiCallTimeout(timeout)
				.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()));
		builder.region(region(endpoint, region, prefix));
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		return builder;
	}

	private static Region region(@Nullable URI endpoint, @Nullable String region, String prefix) {
		if (region != null && !region.isBlank()) {
			return Region.of(region);
		}
		try {
			return DefaultAwsRegionProviderChain.builder().build().getRegion();
		}
		catch (SdkClientException ex) {
			if (endpoint != null) {
				return Region.US_EAST_1; // a local peer takes any region
			}
			throw new IllegalStateException(prefix + ".region must be set where the SDK finds no region (AWS_REGION), "
					+ "but was unset", ex);
		}
	}

}
