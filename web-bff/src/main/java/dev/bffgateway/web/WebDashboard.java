package dev.bffgateway.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.dashboard.UserDashboard;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.security.Caller;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The web dashboard: the user (required), their 20 latest activities and their account, each section
 * carried in full as the dependency returned it.
 */
@Component
class WebDashboard extends UserDashboard {

	static final int ACTIVITY_LIMIT = 20;

	WebDashboard(Downstream downstream) {
		super(downstream, ACTIVITY_LIMIT);
	}

	/** Each section is the dependency's own document, passed through; {@code null} when degraded. */
	@Override
	public Map<String, Object> payloadSchema() {
		Map<String, Object> section = Map.of("type", List.of("object", "null"));
		return Map.of("type", "object", "required", List.of(USER, ACTIVITY, ACCOUNT, "degraded"), "properties",
				Map.of(USER, section, ACTIVITY, section, ACCOUNT, section, "degraded",
						Map.of("type", "array", "items", Map.of("type", "string"))));
	}

	@Override
	public Map<String, @Nullable Object> sections(Caller caller, Aggregate aggregate) {
		Map<String, @Nullable Object> sections = new LinkedHashMap<>();
		for (String name : SECTIONS) {
			sections.put(name, aggregate.get(name).orElse(null));
		}
		return sections;
	}

}
