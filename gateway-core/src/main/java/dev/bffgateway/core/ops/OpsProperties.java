package dev.bffgateway.core.ops;

import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ops page ({@code gateway.ops.*}).
 *
 * @param operators who may act on the page: operator name to the SHA-256 (hex) of their token; none by default, and
 * then every action is refused. A token is never stored, only its hash (e.g. {@code echo -n "$TOKEN" | sha256sum})
 * @param refresh how often the page reloads itself, in seconds; default 5
 */
@ConfigurationProperties("gateway.ops")
public record OpsProperties(@DefaultValue Map<String, String> operators, @DefaultValue("5") int refresh) {

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	public OpsProperties {
		operators.forEach((name, hash) -> {
			if (!SHA256.matcher(hash).matches()) {
				throw new IllegalArgumentException("gateway.ops.operators." + name
						+ " must be the SHA-256 of the operator's token, 64 lower-case hex digits, but was '" + hash + "'");
			}
		});
		operators = Map.copyOf(operators);
		if (refresh < 1) {
			throw new IllegalArgumentException("gateway.ops.refresh must be at least 1, but was " + refresh);
		}
	}

}
