package dev.bffgateway.partner;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.bffgateway.core.security.ClientFilter;
import dev.bffgateway.core.shaping.AllowList;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Each partner's allow-lists, by dashboard section or route id ({@code partner.partners.<id>.fields}). What a
 * partner has no allow-list for, it never sees: shaping fails closed.
 */
final class PartnerAllowLists {

	private final Map<String, Map<String, AllowList>> byPartner = new LinkedHashMap<>();

	PartnerAllowLists(PartnerProperties properties) {
		properties.partners().forEach((id, partner) -> {
			Map<String, AllowList> lists = new LinkedHashMap<>();
			partner.allowedFields().forEach((name, fields) -> lists.put(name, AllowList.of(fields)));
			this.byPartner.put(id, Map.copyOf(lists));
		});
	}

	/**
	 * @param partner the partner the gate let in, or {@code null}
	 * @param name a dashboard section or a route id
	 * @return the partner's allow-list for it, or {@code null} when the partner may see none of it
	 */
	@Nullable AllowList of(@Nullable String partner, String name) {
		return (partner != null) ? this.byPartner.getOrDefault(partner, Map.of()).get(name) : null;
	}

	/**
	 * @return the answer with only the fields the request's partner (the one the gate admitted; a route declared
	 * {@code auth: none} has one too) may see for the route; {@code {}} if none
	 */
	JsonNode shape(HttpServletRequest request, String routeId, JsonNode answer) {
		AllowList allowList = of(ClientFilter.partner(request).orElse(null), routeId);
		return (allowList != null) ? allowList.apply(answer) : JsonNodeFactory.instance.objectNode();
	}

}
