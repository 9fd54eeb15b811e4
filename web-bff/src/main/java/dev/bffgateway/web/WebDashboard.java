package dev.bffgateway.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.dashboard.DashboardDefinition;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.downstream.DownstreamClient;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * The web dashboard: the user (required), their 20 latest activities and their account, each section
 * carried in full as the dependency returned it.
 */
@Component
class WebDashboard implements DashboardDefinition {

	static final int ACTIVITY_LIMIT = 20;

	private final DownstreamClient users;

	private final DownstreamClient activities;

	private final DownstreamClient accounts;

	WebDashboard(Downstream downstream) {
		this.users = downstream.client("user");
		this.activities = downstream.client("activity");
		this.accounts = downstream.client("account");
	}

	@Override
	public List<Part<?>> parts(String userId) {
		return List.of(Part.required("user", () -> this.users.getFor(userId, JsonNode.class, "/users/{id}", userId)),
				Part.optional("activity",
						() -> this.activities.getFor(userId, JsonNode.class, "/users/{id}/activity?limit={limit}", userId,
								ACTIVITY_LIMIT)),
				Part.optional("account", () -> this.accounts.getFor(userId, JsonNode.class, "/accounts/{id}", userId)));
	}

	@Override
	public Map<String, @Nullable Object> sections(Aggregate aggregate) {
		Map<String, @Nullable Object> sections = new LinkedHashMap<>();
		for (String name : List.of("user", "activity", "account")) {
			sections.put(name, aggregate.get(name).orElse(null));
		}
		return sections;
	}

}
