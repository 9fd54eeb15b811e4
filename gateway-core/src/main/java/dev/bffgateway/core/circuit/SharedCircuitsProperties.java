package dev.bffgateway.core.circuit;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Circuit state shared across instances ({@code gateway.circuits.shared.*}). Sharing is on when a table is named,
 * off (every instance alone, as before) when not.
 *
 * @param table the DynamoDB table of verdicts (env {@code CIRCUITS_TABLE}); unset turns sharing off
 * @param namespace this BFF's partition in the table; default {@code spring.application.name}
 * @param endpoint the DynamoDB and SSM endpoint, for a local peer (moto); unset means AWS's
 * @param region the AWS region; unset means the SDK's chain ({@code AWS_REGION} on Lambda)
 * @param refreshInterval how old the verdicts read may get: a container reads them this often, in the
 * background; a Lambda invocation that finds them older syncs first. Default 1s
 * @param invocationTimeout the longest a Lambda invocation waits for its sync (the first after a start or a
 * SnapStart restore waits up to {@code store-timeout}). Default 25ms
 * @param storeTimeout the longest one call to DynamoDB or SSM may take, all retries included; beyond it the
 * instance goes local-only. Default 500ms
 * @param probeLease how long the one instance probing an open circuit has for it. Default 10s
 * @param ttl how long a circuit's item outlives its last change before DynamoDB's TTL removes it. Default 1h
 * @param overrides the operator's overrides in SSM Parameter Store
 */
@ConfigurationProperties("gateway.circuits.shared")
public record SharedCircuitsProperties(@Nullable String table, @Nullable String namespace, @Nullable URI endpoint,
		@Nullable String region, @DefaultValue("1s") Duration refreshInterval,
		@DefaultValue("25ms") Duration invocationTimeout, @DefaultValue("500ms") Duration storeTimeout,
		@DefaultValue("10s") Duration probeLease, @DefaultValue("1h") Duration ttl, @DefaultValue Overrides overrides) {

	private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

	static final String PREFIX = "gateway.circuits.shared";

	public SharedCircuitsProperties {
		if (table != null && !table.isBlank() && !TABLE.matcher(table).matches()) {
			throw new IllegalArgumentException(PREFIX + ".table must be a DynamoDB table name (3 to 255 of a-z A-Z 0-9 "
					+ "_ . -), but was '" + table + "'");
		}
		positive("refresh-interval", refreshInterval);
		positive("invocation-timeout", invocationTimeout);
		positive("store-timeout", storeTimeout);
		positive("probe-lease", probeLease);
		positive("ttl", ttl);
	}

	static void positive(String key, Duration value) {
		if (!value.isPositive()) {
			throw new IllegalArgumentException(PREFIX + "." + key + " must be positive, but was " + value.toMillis() + "ms");
		}
	}

	/** @return whether verdicts are shared: a table is named */
	public boolean enabled() {
		return this.table != null && !this.table.isBlank();
	}

	/**
	 * The operator's overrides: one SSM parameter per circuit under {@code path}.
	 * @param enabled whether overrides are read; default true
	 * @param path the parameters' path; default {@code /bff/<namespace>/circuits}
	 * @param maxAge how old the overrides read may get (Powertools' parameters cache default, 5s)
	 */
	public record Overrides(@DefaultValue("true") boolean enabled, @Nullable String path,
			@DefaultValue("5s") Duration maxAge) {

		public Overrides {
			positive("overrides.max-age", maxAge);
			if (path != null && !path.startsWith("/")) {
				throw new IllegalArgumentException(PREFIX + ".overrides.path must start with '/', but was '" + path + "'");
			}
		}

	}

}
