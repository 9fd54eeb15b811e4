package dev.bffgateway.core.promotion;

import java.util.ArrayList;
import java.util.List;

/**
 * A route's promotion, as the fleet shares it.
 * @param step the index of its weight among the policy's steps
 * @param weight the weight in force
 * @param windowStart when the interval being counted began (epoch ms)
 * @param requests the new side's requests counted in it, fleet-wide
 * @param errors its errors
 * @param comparisons the parallel run's comparisons
 * @param mismatches those that did not match
 * @param holdUntil after a rollback, until when the weight holds (epoch ms)
 * @param pinned whether an operator pinned it: no decision moves it
 * @param version bumped by every decision, so two deciders never both write one
 * @param history the latest decisions, newest first
 */
public record PromotionState(int step, int weight, long windowStart, long requests, long errors, long comparisons,
		long mismatches, long holdUntil, boolean pinned, long version, List<Decision> history) {

	/** Decisions kept. */
	static final int HISTORY = 20;

	public PromotionState {
		history = List.copyOf(history);
	}

	PromotionState with(Decision decision, int step, int weight, long windowStart, long holdUntil, boolean pinned) {
		List<Decision> kept = new ArrayList<>();
		kept.add(decision);
		kept.addAll(this.history);
		return new PromotionState(step, weight, windowStart, 0, 0, 0, 0, holdUntil, pinned, this.version + 1,
				kept.subList(0, Math.min(HISTORY, kept.size())));
	}

}
