package dev.bffgateway.core.dashboard;

import java.util.List;
import java.util.Map;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.security.Caller;
import org.jspecify.annotations.Nullable;

/**
 * What a BFF's dashboard is made of and how it is shaped for its client. A BFF declares one bean of this
 * type; the core serves it at {@code GET /dashboard}. Everything it may know about the request comes as the
 * verified {@link Caller}: a definition reads no request or thread-bound state.
 */
public interface DashboardDefinition {

	/**
	 * @param caller the verified caller (user id, client, scopes, partner, trace)
	 * @return the parts to fetch in parallel, in payload order
	 */
	List<Part<?>> parts(Caller caller);

	/**
	 * Shapes the payload's sections from what was fetched. A degraded part's section should be present with a
	 * {@code null} value, so clients see a stable shape; the core adds {@code degraded} after the sections.
	 * @param caller the verified caller the parts were fetched for
	 * @param aggregate the fetched parts; every required part is present
	 * @return the sections by name, in payload order
	 */
	Map<String, @Nullable Object> sections(Caller caller, Aggregate aggregate);

	/**
	 * The payload's JSON Schema (type, properties, required, items, additionalProperties; {@code "type"} may be
	 * a list, e.g. {@code ["object", "null"]} for a section that can be degraded), published for
	 * {@code GET /dashboard} at {@code /v3/api-docs}. The default only promises an object with {@code degraded}.
	 * @return the schema as nested maps and lists
	 */
	default Map<String, Object> payloadSchema() {
		return Map.of("type", "object", "required", List.of("degraded"), "properties",
				Map.of("degraded", Map.of("type", "array", "items", Map.of("type", "string"))));
	}

}
