package dev.bffgateway.core.dashboard;

import java.util.List;

import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.downstream.DownstreamClient;
import dev.bffgateway.core.security.Caller;
import tools.jackson.databind.JsonNode;

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

}
