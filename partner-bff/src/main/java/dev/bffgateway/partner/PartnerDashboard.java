package dev.bffgateway.partner;

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

import org.springframework.stereotype.Component;

/**
 * A partner's dashboard: the same parts as web, but each section carries only the fields on the allow-list of
 * the caller's partner ({@link Caller#partner()}, whose key the gate checked), and a section the partner may not
 * see is left out entirely. Shaping fails closed, so a personal
 * field a dependency adds later never reaches a partner.
 */
@Component
class PartnerDashboard extends UserDashboard {

	static final int ACTIVITY_LIMIT = 20;

	private final PartnerAllowLists allowLists;

	PartnerDashboard(Downstream downstream, PartnerAllowLists allowLists) {
		super(downstream, ACTIVITY_LIMIT);
		this.allowLists = allowLists;
	}

	@Override
	public Class<?> payloadType() {
		return PartnerPayload.class;
	}

	/** Sections appear only where the partner's allow-list names them; their fields are the allowed ones. */
	@Override
	public Map<String, @Nullable Object> payload(Caller caller, Aggregate aggregate, List<String> degraded) {
		String partner = caller.partner();
		Map<String, @Nullable Object> payload = new LinkedHashMap<>();
		for (String section : SECTIONS) {
			AllowList allowList = this.allowLists.of(partner, section);
			if (allowList != null) {
				payload.put(section, aggregate.get(section).map((value) -> allowList.apply((JsonNode) value)).orElse(null));
			}
		}
		payload.put("degraded", degraded);
		return payload;
	}

}
