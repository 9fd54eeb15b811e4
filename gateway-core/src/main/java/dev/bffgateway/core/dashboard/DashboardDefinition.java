package dev.bffgateway.core.dashboard;

import java.util.List;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.security.Caller;

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
	 * Shapes what was fetched into the client's payload: an instance of {@link #payloadType()}, whose components
	 * are the sections (a degraded part's section present with a {@code null} value, so clients see a stable
	 * shape) and {@code degraded}. Only what the type declares reaches the client: a field a dependency adds
	 * later does not, until the client's payload declares it.
	 * @param caller the verified caller the parts were fetched for
	 * @param aggregate the fetched parts; every required part is present
	 * @param degraded the names of the degraded parts, for the payload's {@code degraded}
	 * @return the payload
	 */
	Object payload(Caller caller, Aggregate aggregate, List<String> degraded);

	/**
	 * The client's payload as a declared contract: a record (of records, lists and strings) from which springdoc
	 * derives the schema published for {@code GET /dashboard} at {@code /v3/api-docs}. Components marked
	 * {@code @Schema(requiredMode = REQUIRED)} are required; a section that can be degraded is marked
	 * {@code @Schema(types = {"object", "null"})}; no object of the payload takes properties it does not declare.
	 * @return the payload's type
	 */
	Class<?> payloadType();

}
