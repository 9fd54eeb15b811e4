package dev.bffgateway.mobile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.dashboard.UserDashboard;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.security.Caller;
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

	private static final AllowList USER_FIELDS = AllowList.of("name", "avatarUrl", "tier");

	private static final AllowList ACTIVITY_FIELDS = AllowList.of("id", "type", "at");

	private static final AllowList ACCOUNT_FIELDS = AllowList.of("status", "balance");

	MobileDashboard(Downstream downstream) {
		super(downstream, ACTIVITY_LIMIT);
	}

	@Override
	public Map<String, Object> payloadSchema() {
		Map<String, Object> text = Map.of("type", "string");
		Map<String, Object> user = Map.of("type", List.of("object", "null"), "additionalProperties", false,
				"properties", Map.of("name", text, "avatarUrl", text, "tier", text));
		Map<String, Object> activity = Map.of("type", List.of("array", "null"), "items",
				Map.of("type", "object", "additionalProperties", false, "properties",
						Map.of("id", text, "type", text, "at", text)));
		Map<String, Object> account = Map.of("type", List.of("object", "null"), "additionalProperties", false,
				"properties", Map.of("status", text, "balance", Map.of("type", "object", "properties",
						Map.of("amount", text, "currency", text))));
		return Map.of("type", "object", "additionalProperties", false, "required",
				List.of(USER, ACTIVITY, ACCOUNT, "degraded"), "properties", Map.of(USER, user, ACTIVITY, activity,
						ACCOUNT, account, "degraded", Map.of("type", "array", "items", text)));
	}

	@Override
	public Map<String, @Nullable Object> sections(Caller caller, Aggregate aggregate) {
		Map<String, @Nullable Object> sections = new LinkedHashMap<>();
		sections.put(USER, aggregate.get(USER).map((user) -> USER_FIELDS.apply((JsonNode) user)).orElse(null));
		sections.put(ACTIVITY, aggregate.get(ACTIVITY).map((page) -> latest((JsonNode) page)).orElse(null));
		sections.put(ACCOUNT, aggregate.get(ACCOUNT).map((account) -> ACCOUNT_FIELDS.apply((JsonNode) account)).orElse(null));
		return sections;
	}

	/** The latest activities, newest first as the service returns them, at most {@value #ACTIVITY_LIMIT}. */
	private static ArrayNode latest(JsonNode page) {
		ArrayNode items = JsonNodeFactory.instance.arrayNode();
		for (JsonNode item : page.path("items")) {
			if (items.size() == ACTIVITY_LIMIT) {
				break;
			}
			items.add(ACTIVITY_FIELDS.apply(item));
		}
		return items;
	}

}
