package dev.bffgateway.core.promotion;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTables;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/promotion}: for each route with a promotion policy, the policy, the state the fleet shares (weight,
 * step, this interval's counts, pinned, held until) and the history of decisions with their figures and who took
 * them; whether promotion only advises (no shared table).
 */
@Endpoint(id = "promotion")
final class PromotionEndpoint {

	private final RouteTables tables;

	private final Promotions promotions;

	PromotionEndpoint(RouteTables tables, Promotions promotions) {
		this.tables = tables;
		this.promotions = promotions;
	}

	@ReadOperation
	Map<String, Object> promotion() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("advisory", this.promotions.advisory());
		Map<String, Object> routes = new LinkedHashMap<>();
		for (Route route : this.tables.current().routes()) {
			if (route.promotion() == null) {
				continue;
			}
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("policy", route.promotion());
			entry.put("state", this.promotions.state(route.id()));
			routes.put(route.id(), entry);
		}
		view.put("routes", routes);
		return view;
	}

}
