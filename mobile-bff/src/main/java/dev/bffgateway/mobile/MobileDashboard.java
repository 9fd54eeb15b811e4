package dev.bffgateway.mobile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.dashboard.UserDashboard;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.shaping.AllowList;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.stereotype.Component;

/**
 * The mobile home screen: only what it renders. The user's display name, avatar and tier; the 5 latest
 * activities (id, type, time); the account's status and balance. Same parts and degradation as web.
 */
@Component
class MobileDashboard extends UserDashboard {

	static final int ACTIVITY_LIMIT = 5;

	private static final AllowList USER = AllowList.of("name", "avatarUrl", "tier");

	private static final AllowList ACTIVITY = AllowList.of("id", "type", "at");

	private static final AllowList ACCOUNT = AllowList.of("status", "balance");

	MobileDashboard(Downstream downstream) {
		super(downstream, ACTIVITY_LIMIT);
	}

	@Override
	public Map<String, @Nullable Object> sections(Aggregate aggregate) {
		Map<String, @Nullable Object> sections = new LinkedHashMap<>();
		sections.put("user", aggregate.get("user").map((user) -> USER.apply((JsonNode) user)).orElse(null));
		sections.put("activity", aggregate.get("activity").map((page) -> latest((JsonNode) page)).orElse(null));
		sections.put("account", aggregate.get("account").map((account) -> ACCOUNT.apply((JsonNode) account)).orElse(null));
		return sections;
	}

	/** The latest activities, newest first as the service returns them, at most {@value #ACTIVITY_LIMIT}. */
	private static ArrayNode latest(JsonNode page) {
		ArrayNode items = JsonNodeFactory.instance.arrayNode();
		for (JsonNode item : page.path("items")) {
			if (items.size() == ACTIVITY_LIMIT) {
				break;
			}
			items.add(ACTIVITY.apply(item));
		}
		return items;
	}

}
