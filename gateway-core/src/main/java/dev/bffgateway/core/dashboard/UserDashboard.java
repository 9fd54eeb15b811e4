package dev.bffgateway.core.dashboard;

import java.util.List;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.downstream.DownstreamClient;
import dev.bffgateway.core.security.Caller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard every client's BFF serves, per the downstream contract (README): the user (required), their
 * latest activities and their account (optional), each fetched for the user and sticky on the user id where a
 * dependency is being strangled. Clients differ in how many activities they ask for and in how they shape the
 * sections ({@link #sections}), not in this.
 */
public abstract class UserDashboard implements DashboardDefinition {

	/** Part names, which are also the payload's section names. */
	public static final String USER = "user";

	public static final String ACTIVITY = "activity";

	public static final String ACCOUNT = "account";

	private static final Logger logger = LoggerFactory.getLogger(UserDashboard.class);

	/** Reads a dependency's document into a client's type: fields the type does not declare are dropped. */
	private static final JsonMapper SECTIONS_MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/** The sections in payload order. */
	public static final List<String> SECTIONS = List.of(USER, ACTIVITY, ACCOUNT);

	private final DownstreamClient users;

	private final DownstreamClient activities;

	private final DownstreamClient accounts;

	private final int activityLimit;

	/**
	 * @param downstream the BFF's dependencies
	 * @param activityLimit how many activities to ask the activity service for
	 * @throws IllegalStateException naming the key if {@code user}, {@code activity} or {@code account} is not
	 * configured
	 */
	protected UserDashboard(Downstream downstream, int activityLimit) {
		this.users = downstream.client(USER);
		this.activities = downstream.client(ACTIVITY);
		this.accounts = downstream.client(ACCOUNT);
		this.activityLimit = activityLimit;
	}

	/**
	 * @param caller the verified caller, whose user the parts are fetched for
	 * @return the three parts, in payload order
	 */
	@Override
	public final List<Part<?>> parts(Caller caller) {
		String userId = caller.userId();
		int activityLimit = this.activityLimit;
		return List.of(Part.required(USER, () -> this.users.getFor(userId, JsonNode.class, "/users/{id}", userId)),
				Part.optional(ACTIVITY,
						() -> this.activities.getFor(userId, JsonNode.class, "/users/{id}/activity?limit={limit}",
								userId, activityLimit)),
				Part.optional(ACCOUNT, () -> this.accounts.getFor(userId, JsonNode.class, "/accounts/{id}", userId)));
	}

	/**
	 * A fetched part as the client's declared type: the fields the type declares, nothing else. A value that does
	 * not fit the type (a dependency that broke its contract) is left out as {@code null} and its name added to
	 * {@code degraded}, so the client is never told a section is whole when it is not.
	 * @param aggregate the fetched parts
	 * @param name the part's name
	 * @param type the client's type for it, a record
	 * @param degraded the payload's degraded names, mutable
	 * @return the section, or {@code null} when degraded
	 */
	protected static <T> @Nullable T section(Aggregate aggregate, String name, Class<T> type, List<String> degraded) {
		Object value = aggregate.get(name).orElse(null);
		if (value == null) {
			return null;
		}
		try {
			return SECTIONS_MAPPER.convertValue(value, type);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			logger.warn("Section '{}' does not fit the client's payload ({}): left out as degraded", name,
					ex.getClass().getSimpleName());
			if (!degraded.contains(name)) {
				degraded.add(name);
			}
			return null;
		}
	}

}
