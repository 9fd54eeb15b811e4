package dev.bffgateway.core.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/strangler}: the table in force (version, source, routes with weights), each route's
 * breaker states, requests per side and fallbacks, and the last reload's result.
 */
@Endpoint(id = "strangler")
final class StranglerEndpoint {

	private final RouteTables tables;

	private final StranglerHandler handler;

	private final MeterRegistry meters;

	StranglerEndpoint(RouteTables tables, StranglerHandler handler, MeterRegistry meters) {
		this.tables = tables;
		this.handler = handler;
		this.meters = meters;
	}

	@ReadOperation
	Map<String, Object> strangler() {
		RouteTable table = this.tables.current();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("source", table.source());
		view.put("version", table.version());
		view.put("loadedAt", table.loadedAt().toString());
		RouteTables.ReloadResult reload = this.tables.lastReload();
		if (reload != null) {
			Map<String, Object> last = new LinkedHashMap<>();
			last.put("at", reload.at().toString());
			last.put("accepted", reload.accepted());
			if (reload.error() != null) {
				last.put("error", reload.error());
			}
			view.put("lastReload", last);
		}
		view.put("rejectedReloads", this.tables.rejectedReloads());
		List<Map<String, Object>> routes = new ArrayList<>();
		for (Route route : table.routes()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", route.id());
			entry.put("paths", route.paths());
			entry.put("methods", route.methods().stream().sorted().toList());
			entry.put("weight", route.weight());
			entry.put("legacy", route.legacy().toString());
			entry.put("new", route.newUri().toString());
			entry.put("sticky", route.sticky().toString());
			Map<String, Object> sides = new LinkedHashMap<>();
			for (Side side : Side.values()) {
				Map<String, Object> state = new LinkedHashMap<>();
				state.put("breaker", this.handler.breaker(route, side).getState().name());
				state.put("requests", count(route, side, "ok") + count(route, side, "fallback"));
				state.put("errors", count(route, side, "error"));
				sides.put(side.value(), state);
			}
			entry.put("sides", sides);
			entry.put("fallbacks", count(route, Side.LEGACY, "fallback"));
			routes.add(entry);
		}
		view.put("routes", routes);
		return view;
	}

	private long count(Route route, Side side, String outcome) {
		Counter counter = this.meters.find(StranglerHandler.REQUESTS_METER)
			.tags("route", route.id(), "side", side.value(), "outcome", outcome)
			.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

}
