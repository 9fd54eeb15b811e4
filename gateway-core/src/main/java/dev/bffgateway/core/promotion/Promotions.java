package dev.bffgateway.core.promotion;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.Strangler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the weights of routes that declare a {@code promotion} policy. Each {@link #tick()} (every second, off the
 * request path) adds what this instance counted since the last one — the new side's requests and errors
 * ({@code bff.strangler.requests}) and the parallel run's comparisons and mismatches ({@code bff.shadow.comparisons})
 * — to the route's interval in the store, fleet-wide; when the interval has ended, the first instance to write the
 * decision ({@link PromotionPolicy}) wins it (a conditional write on the state's version: one decider per interval),
 * and every instance lays the decided weight over its route table. The weight lives in the store, so a restart keeps
 * it; without a shared store the decisions are advice only (logged, counted, shown) and the weight stays as the
 * routes file says.
 *
 * <p>Every decision is logged with its figures, counted in {@code bff.promotion.decisions{route,decision}} and kept in
 * the route's history; the weight in force is the gauge {@code bff.promotion.weight{route}}. Operators pin, unpin
 * and roll back through {@link #act}: audited the same way, with their name.
 */
public final class Promotions {

	private static final Logger logger = LoggerFactory.getLogger(Promotions.class);

	private final RouteTables tables;

	private final PromotionStore store;

	private final MeterRegistry meters;

	private final Clock clock;

	private final String instance;

	private final Map<String, long[]> counted = new ConcurrentHashMap<>();

	private final Map<String, PromotionState> states = new ConcurrentHashMap<>();

	private volatile boolean failing;

	/** An operator's action on a route. */
	public enum Action {

		/** No decision moves the weight until it is unpinned. */
		PIN,

		/** Decisions move the weight again. */
		UNPIN,

		/** Back one step now, held for an interval. */
		ROLLBACK

	}

	Promotions(RouteTables tables, PromotionStore store, MeterRegistry meters, Clock clock, String instance) {
		this.tables = tables;
		this.store = store;
		this.meters = meters;
		this.clock = clock;
		this.instance = instance;
	}

	/** @return whether decisions only advise (no shared store): the weight stays as the routes file says */
	public boolean advisory() {
		return !this.store.shared();
	}

	/** @return a route's promotion as last read, or {@code null} for a route without a policy (or not read yet) */
	public @Nullable PromotionState state(String route) {
		return this.states.get(route);
	}

	/** Counts, reads, decides and applies, for every route with a policy. Never throws. */
	public synchronized void tick() {
		long now = this.clock.millis();
		Map<String, Integer> weights = new HashMap<>();
		try {
			for (Route route : this.tables.current().routes()) {
				Route.Promotion policy = route.promotion();
				if (policy == null) {
					continue;
				}
				PromotionState state = tick(route, policy, now);
				this.states.put(route.id(), state);
				weights.put(route.id(), state.weight());
			}
			if (this.failing) {
				logger.info("Promotion: the store answers again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Promotion: the store failed ({}); weights stay as they are until it answers",
						ex.getClass().getSimpleName());
				this.failing = true;
			}
			return;
		}
		if (this.store.shared()) {
			this.tables.overrideWeights(weights);
		}
	}

	private PromotionState tick(Route route, Route.Promotion policy, long now) {
		PromotionState state = this.store.read(route.id());
		if (state == null) {
			Route declared = this.tables.declared(route.id());
			int step = PromotionPolicy.startStep(policy, (declared != null) ? declared.weight() : route.weight());
			this.store.create(route.id(), new PromotionState(step, policy.steps().get(step), now, 0, 0, 0, 0, 0, false,
					0, List.of()));
			state = this.store.read(route.id());
			Gauge.builder("bff.promotion.weight", this.states, (s) -> weight(s, route.id()))
				.tag("route", route.id())
				.description("The weight promotion holds the route at")
				.register(this.meters);
		}
		long[] delta = delta(route);
		if (delta[0] + delta[1] + delta[2] + delta[3] > 0
				&& !this.store.add(route.id(), state.windowStart(), delta[0], delta[1], delta[2], delta[3])) {
			// the interval ended meanwhile: these counts go to the next one
			state = this.store.read(route.id());
			this.store.add(route.id(), state.windowStart(), delta[0], delta[1], delta[2], delta[3]);
		}
		state = this.store.read(route.id());
		if (PromotionPolicy.due(policy, state, now)) {
			PromotionState next = PromotionPolicy.decide(policy, state, now, this.instance);
			if (this.store.replace(route.id(), state.version(), next)) {
				decided(route.id(), next.history().get(0));
				state = next;
			}
			else {
				state = this.store.read(route.id());
			}
		}
		return state;
	}

	private static double weight(Map<String, PromotionState> states, String route) {
		PromotionState state = states.get(route);
		return (state != null) ? state.weight() : Double.NaN;
	}

	/** @return what this instance counted for the route since the last tick: requests, errors, comparisons, mismatches */
	private long[] delta(Route route) {
		long[] now = { count(Strangler.REQUESTS_METER, route.id(), "new", "ok") + count(Strangler.REQUESTS_METER,
				route.id(), "new", "error"), count(Strangler.REQUESTS_METER, route.id(), "new", "error"),
				comparisons(route.id(), "match") + comparisons(route.id(), "mismatch"),
				comparisons(route.id(), "mismatch") };
		long[] before = this.counted.put(route.id(), now);
		if (before == null) {
			return new long[4]; // what was counted before this instance started promoting is no interval's
		}
		return new long[] { now[0] - before[0], now[1] - before[1], now[2] - before[2], now[3] - before[3] };
	}

	private long count(String meter, String route, String side, String outcome) {
		Counter counter = this.meters.find(meter).tag("route", route).tag("side", side).tag("outcome", outcome)
			.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	private long comparisons(String route, String outcome) {
		Counter counter = this.meters.find("bff.shadow.comparisons").tag("route", route).tag("outcome", outcome)
			.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	/**
	 * An operator's action, recorded in the route's history with their name, applied at once.
	 * @param route the route's id
	 * @param action what to do
	 * @param operator who does it (the operator token's subject)
	 * @return the decision recorded
	 * @throws IllegalArgumentException when the route has no promotion policy
	 */
	public Decision act(String route, Action action, String operator) {
		Route declared = this.tables.declared(route);
		Route.Promotion policy = (declared != null) ? declared.promotion() : null;
		if (policy == null) {
			throw new IllegalArgumentException("route '" + route + "' has no promotion policy");
		}
		for (int attempt = 0; attempt < 5; attempt++) {
			tick();
			PromotionState state = this.store.read(route);
			if (state == null) {
				continue;
			}
			long now = this.clock.millis();
			UnaryOperator<PromotionState> change = switch (action) {
				case PIN -> (s) -> s.with(decision(now, "pin", s.weight(), s.weight(), s, operator), s.step(), s.weight(),
						now, s.holdUntil(), true);
				case UNPIN -> (s) -> s.with(decision(now, "unpin", s.weight(), s.weight(), s, operator), s.step(),
						s.weight(), now, s.holdUntil(), false);
				case ROLLBACK -> (s) -> {
					int step = Math.max(0, s.step() - 1);
					int to = policy.steps().get(step);
					return s.with(decision(now, "rollback-now", s.weight(), to, s, operator), step, to, now,
							now + policy.interval().toMillis(), s.pinned());
				};
			};
			PromotionState next = change.apply(state);
			if (this.store.replace(route, state.version(), next)) {
				Decision decision = next.history().get(0);
				decided(route, decision);
				tick();
				return decision;
			}
		}
		throw new IllegalStateException("route '" + route + "': the promotion state kept changing; try again");
	}

	private static Decision decision(long now, String kind, int from, int to, PromotionState s, String by) {
		return new Decision(Instant.ofEpochMilli(now), kind, from, to, s.requests(), s.errors(), s.comparisons(),
				s.mismatches(), by);
	}

	private void decided(String route, Decision d) {
		logger.info("Promotion of route '{}': {} {} -> {} (new side {} requests, {} errors, {}; {} comparisons, {} "
				+ "mismatches, {}) by {}{}", route, d.kind(), d.from(), d.to(), d.requests(), d.errors(),
				percent(d.errorRate()), d.comparisons(), d.mismatches(), percent(d.mismatchRate()), d.by(),
				advisory() ? " (advice: no shared store)" : "");
		Counter.builder("bff.promotion.decisions").tag("route", route).tag("decision", d.kind()).register(this.meters)
			.increment();
	}

	private static String percent(double rate) {
		return String.format(java.util.Locale.ROOT, "%.2f %%", rate * 100);
	}

}
