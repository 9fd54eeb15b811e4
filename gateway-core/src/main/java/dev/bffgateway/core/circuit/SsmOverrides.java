package dev.bffgateway.core.circuit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Overrides as SSM parameters under one path, one per circuit: {@code <path>/<circuit>} with the value
 * {@code FORCED_OPEN}, {@code DISABLED} or {@code AUTO}; a breaker named {@code orders:new} is
 * {@code <path>/orders/new} (a parameter name holds no {@code :}). A value that names no override counts as
 * {@code AUTO}, with one WARN line naming the parameter and the value each time it changes.
 */
final class SsmOverrides implements OverrideSource {

	private static final Logger logger = LoggerFactory.getLogger(SsmOverrides.class);

	private final SsmClient ssm;

	private final String path;

	private final Map<String, String> rejected = new LinkedHashMap<>();

	/**
	 * @param ssm the client, with its timeouts set
	 * @param path the parameters' path, e.g. {@code /bff/web-bff/circuits}
	 */
	SsmOverrides(SsmClient ssm, String path) {
		this.ssm = ssm;
		this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	@Override
	public Map<String, CircuitOverride> read() {
		Map<String, CircuitOverride> overrides = new LinkedHashMap<>();
		GetParametersByPathRequest request = GetParametersByPathRequest.builder()
			.path(this.path)
			.recursive(true)
			.build();
		for (Parameter parameter : this.ssm.getParametersByPathPaginator(request)
			.stream()
			.flatMap((page) -> page.parameters().stream())
			.toList()) {
			String circuit = parameter.name().substring(this.path.length() + 1).replace('/', ':');
			CircuitOverride override = CircuitOverride.parse(parameter.value());
			if (override == null) {
				if (!parameter.value().equals(this.rejected.put(parameter.name(), parameter.value()))) {
					logger.warn("{} must be one of AUTO, FORCED_OPEN, DISABLED, but was '{}': circuit '{}' stays AUTO",
							parameter.name(), parameter.value(), circuit);
				}
				continue;
			}
			this.rejected.remove(parameter.name());
			overrides.put(circuit, override);
		}
		return overrides;
	}

	/** @return the parameter that holds a circuit's override */
	static String parameter(String path, String circuit) {
		return (path.endsWith("/") ? path : path + "/") + circuit.replace(':', '/');
	}

}
