package dev.bffgateway.core.promotion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/** One instance's promotions, where no shared table is configured: decisions are advice, the weight stays. */
final class MemoryPromotionStore implements PromotionStore {

	private final Map<String, PromotionState> states = new ConcurrentHashMap<>();

	@Override
	public @Nullable PromotionState read(String route) {
		return this.states.get(route);
	}

	@Override
	public boolean create(String route, PromotionState state) {
		return this.states.putIfAbsent(route, state) == null;
	}

	@Override
	public synchronized boolean add(String route, long windowStart, long requests, long errors, long comparisons,
			long mismatches) {
		PromotionState s = this.states.get(route);
		if (s == null || s.windowStart() != windowStart) {
			return false;
		}
		this.states.put(route, new PromotionState(s.step(), s.weight(), s.windowStart(), s.requests() + requests,
				s.errors() + errors, s.comparisons() + comparisons, s.mismatches() + mismatches, s.holdUntil(),
				s.pinned(), s.version(), s.history()));
		return true;
	}

	@Override
	public synchronized boolean replace(String route, long version, PromotionState state) {
		PromotionState s = this.states.get(route);
		if (s == null || s.version() != version) {
			return false;
		}
		this.states.put(route, state);
		return true;
	}

	@Override
	public boolean shared() {
		return false;
	}

}
