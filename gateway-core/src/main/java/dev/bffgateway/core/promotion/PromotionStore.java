package dev.bffgateway.core.promotion;

import org.jspecify.annotations.Nullable;

/**
 * Where routes' promotions live, shared by the fleet (DynamoDB), or one instance's own (in memory: promotion is then
 * advisory). Every write is conditional; a write that lost returns {@code false}; failures are thrown.
 */
interface PromotionStore {

	/** @return the route's state, read consistently, or {@code null} when it has none yet */
	@Nullable PromotionState read(String route);

	/** @return whether the state was created; {@code false} when another instance created it first */
	boolean create(String route, PromotionState state);

	/**
	 * Adds an instance's counts to the interval that began at {@code windowStart}.
	 * @return {@code false} when that interval has ended meanwhile (the counts then belong to the next)
	 */
	boolean add(String route, long windowStart, long requests, long errors, long comparisons, long mismatches);

	/** @return whether the state replaced the one of {@code version}; {@code false} when another write came first */
	boolean replace(String route, long version, PromotionState state);

	/** @return whether the store is shared by the fleet (else promotion is advisory: the weight is not moved) */
	boolean shared();

}
