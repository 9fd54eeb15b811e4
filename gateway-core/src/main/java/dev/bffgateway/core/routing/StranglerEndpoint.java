package dev.bffgateway.core.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.bffgateway.core.circuit.SharedCircuits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/strangler}: the table in force (version, source, routes and strangled dependencies with their
 * weights), each one's breaker states, requests per side and fallbacks, and the last reload's result; with shared
 * circuit state, each side's fleet verdict and operator override too; for a route that stores its writes, how many
 * it stored and how their replays ended.
 */
@Endpoint(id = "strangler")
final class StranglerEndpoint {

	private final RouteTables tables;

	private final Strangler strangler;

	private final @Nullable SharedCircuits circuits;

	private final MeterRegistry meters;

	StranglerEndpoint(RouteTables tables, Strangler strangler, @Nullable SharedCircuits circuits, MeterRegistry meters) {
		this.tables = tables;
		this.strangler = strangler;
		this.circuits = circuits;
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
		view.put("routes", table.routes().stream().map((route) -> describe(route, true)).toList());
		view.put("dependencies", table.dependencies().stream().map((dependency) -> describe(dependency, false)).toList());
		return view;
	}

	/** A route (with its paths, methods and sticky key) or a strangled dependency, and its traffic. */
	private Map<String, Object> describe(Route route, boolean paths) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("id", route.id());
		if (paths) {
			entry.put("paths", route.paths());
			entry.put("methods", route.methods().stream().sorted().toList());
		}
		entry.put("weight", route.weight());
		entry.put("legacy", route.legacy().toString());
		entry.put("new", route.newUri().toString());
		if (paths) {
			entry.put("sticky", route.sticky().toString());
		}
		entry.put("breakerConfig", route.breaker());
		entry.putAll(traffic(route));
		if (route.onUnavailable() == Route.OnUnavailable.STORE) {
			entry.put("replay", replay(route.id()));
		}
		return entry;
	}

	/** A storing route's writes: stored, and how their replays ended (the replay capability's counters). */
	private Map<String, Object> replay(String route) {
		Map<String, Object> replay = new LinkedHashMap<>();
		replay.put("stored", counted("bff.replay.stored", route, null));
		replay.put("applied", counted("bff.replay.outcomes", route, "applied"));
		replay.put("refused", counted("bff.replay.outcomes", route, "refused"));
		replay.put("expired", counted("bff.replay.outcomes", route, "expired"));
		replay.put("deadLettered", counted("bff.replay.outcomes", route, "dead_lettered"));
		return replay;
	}

	private long counted(String meter, String route, @Nullable String outcome) {
		var search = this.meters.find(meter).tag("route", route);
		if (outcome != null) {
			search = search.tag("outcome", outcome);
		}
		var counter = search.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	private Map<String, Object> traffic(Route route) {
		Map<String, Object> sides = new LinkedHashMap<>();
		for (Side side : Side.values()) {
			Map<String, Object> state = new LinkedHashMap<>();
			CircuitBreaker breaker = this.strangler.breaker(route, side);
			state.put("breaker", breaker.getState().name());
			SharedCircuits circuits = this.circuits;
			if (circuits != null) {
				// what the fleet says (null: nothing yet) and what the operator says
				state.put("fleet", circuits.verdict(breaker.getName()));
				state.put("override", circuits.override(breaker.getName()).name());
			}
			state.put("requests", count(route, side, "ok") + count(route, side, "fallback"));
			state.put("errors", count(route, side, "error"));
			sides.put(side.value(), state);
		}
		Map<String, Object> traffic = new LinkedHashMap<>();
		traffic.put("sides", sides);
		traffic.put("fallbacks", count(route, Side.LEGACY, "fallback"));
		return traffic;
	}

	private long count(Route route, Side side, String outcome) {
		return this.strangler.count(route.id(), side, outcome);
	}

}
