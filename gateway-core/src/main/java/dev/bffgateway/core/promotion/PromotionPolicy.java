package dev.bffgateway.core.promotion;

import java.time.Instant;
import java.util.List;

import dev.bffgateway.core.routing.Route;

/**
 * What happens at the end of an interval: a pinned route stays; a route held after a rollback stays, for that one
 * interval; the new side's error rate or the mismatch rate over its limit sends the weight back one step and holds
 * it for an interval; both under their limits with at least {@code min-requests} sends it to the next step; too few
 * requests hold it. Every interval ends in a decision, with its figures, and starts a new count. Pure.
 */
final class PromotionPolicy {

	private PromotionPolicy() {
	}

	/** @return the step a declared weight starts at: the highest step not above it */
	static int startStep(Route.Promotion policy, int declared) {
		List<Integer> steps = policy.steps();
		int step = 0;
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i) <= declared) {
				step = i;
			}
		}
		return step;
	}

	/** @return whether the interval that began at the state's window start has ended */
	static boolean due(Route.Promotion policy, PromotionState state, long now) {
		return now >= state.windowStart() + policy.interval().toMillis();
	}

	/**
	 * @param policy the route's policy
	 * @param state the state at the end of an interval
	 * @param now the time (epoch ms)
	 * @param by who decides
	 * @return the state after the decision
	 */
	static PromotionState decide(Route.Promotion policy, PromotionState state, long now, String by) {
		int from = state.weight();
		String kind;
		int step = state.step();
		long holdUntil = state.holdUntil();
		double errorRate = (state.requests() == 0) ? 0 : (double) state.errors() / state.requests();
		double mismatchRate = (state.comparisons() == 0) ? 0 : (double) state.mismatches() / state.comparisons();
		if (state.pinned()) {
			kind = "pinned";
		}
		else if (errorRate > policy.maxErrorRate() || mismatchRate > policy.maxMismatchRate()) {
			kind = "rollback";
			step = Math.max(0, step - 1);
			holdUntil = now + policy.interval().toMillis();
		}
		else if (state.windowStart() < holdUntil) {
			// the interval that began with the rollback: it holds, whatever its figures
			kind = "hold";
		}
		else if (state.requests() >= policy.minRequests() && step < policy.steps().size() - 1) {
			kind = "promote";
			step = step + 1;
		}
		else {
			kind = "hold";
		}
		int to = policy.steps().get(step);
		Decision decision = new Decision(Instant.ofEpochMilli(now), kind, from, to, state.requests(), state.errors(),
				state.comparisons(), state.mismatches(), by);
		return state.with(decision, step, to, now, holdUntil, state.pinned());
	}

}
