package dev.bffgateway.core.promotion;

import java.time.Duration;
import java.util.List;

import dev.bffgateway.core.routing.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromotionPolicyTest {

	private static final long MINUTE = Duration.ofMinutes(1).toMillis();

	private static final Route.Promotion POLICY = new Route.Promotion(List.of(5, 25, 50, 100), Duration.ofMinutes(5), 500,
			0.01, 0.005);

	private static PromotionState at(int step, long requests, long errors, long comparisons, long mismatches) {
		return new PromotionState(step, POLICY.steps().get(step), 0, requests, errors, comparisons, mismatches, -1, false,
				7, List.of());
	}

	@Test
	void enoughHealthyRequestsGoToTheNextStepAndStartANewInterval() {
		PromotionState next = PromotionPolicy.decide(POLICY, at(1, 500, 4, 1000, 4), 5 * MINUTE, "a");

		assertThat(next.weight()).isEqualTo(50);
		assertThat(next.step()).isEqualTo(2);
		assertThat(next.windowStart()).isEqualTo(5 * MINUTE);
		assertThat(next.requests()).isZero();
		assertThat(next.version()).isEqualTo(8);
		Decision decision = next.history().get(0);
		assertThat(decision.kind()).isEqualTo("promote");
		assertThat(decision.from()).isEqualTo(25);
		assertThat(decision.to()).isEqualTo(50);
		assertThat(decision.errorRate()).isEqualTo(0.008);
		assertThat(decision.by()).isEqualTo("a");
	}

	@Test
	void tooFewRequestsHold() {
		assertThat(PromotionPolicy.decide(POLICY, at(1, 499, 0, 0, 0), 5 * MINUTE, "a").weight()).isEqualTo(25);
	}

	@Test
	void anErrorRateOverItsLimitGoesBackOneStepAndHoldsForTheNextInterval() {
		PromotionState back = PromotionPolicy.decide(POLICY, at(2, 100, 2, 0, 0), 5 * MINUTE, "a");

		assertThat(back.weight()).isEqualTo(25);
		assertThat(back.history().get(0).kind()).isEqualTo("rollback");
		PromotionState held = PromotionPolicy.decide(POLICY, withCounts(back, 1000, 0), 10 * MINUTE, "a");
		assertThat(held.weight()).as("held for one interval").isEqualTo(25);
		assertThat(held.history().get(0).kind()).isEqualTo("hold");
		assertThat(PromotionPolicy.decide(POLICY, withCounts(held, 1000, 0), 15 * MINUTE, "a").weight()).isEqualTo(50);
	}

	@Test
	void aMismatchRateOverItsLimitAloneGoesBackToo() {
		PromotionState back = PromotionPolicy.decide(POLICY, at(2, 1000, 0, 1000, 6), 5 * MINUTE, "a");

		assertThat(back.weight()).isEqualTo(25);
		assertThat(back.history().get(0).mismatchRate()).isEqualTo(0.006);
	}

	@Test
	void aPinnedRouteNeverMovesAndTheFirstStepIsTheFloor() {
		PromotionState pinned = new PromotionState(1, 25, 0, 1000, 0, 0, 0, 0, true, 1, List.of());
		assertThat(PromotionPolicy.decide(POLICY, pinned, 5 * MINUTE, "a").weight()).isEqualTo(25);
		assertThat(PromotionPolicy.decide(POLICY, at(0, 100, 50, 0, 0), 5 * MINUTE, "a").weight()).isEqualTo(5);
		assertThat(PromotionPolicy.decide(POLICY, at(3, 1000, 0, 0, 0), 5 * MINUTE, "a").weight()).isEqualTo(100);
	}

	@Test
	void aDeclaredWeightStartsAtTheHighestStepNotAboveIt() {
		assertThat(PromotionPolicy.startStep(POLICY, 0)).isZero();
		assertThat(PromotionPolicy.startStep(POLICY, 30)).isEqualTo(1);
		assertThat(PromotionPolicy.startStep(POLICY, 100)).isEqualTo(3);
	}

	@Test
	void anIntervalIsDueAtItsEnd() {
		assertThat(PromotionPolicy.due(POLICY, at(0, 0, 0, 0, 0), 5 * MINUTE - 1)).isFalse();
		assertThat(PromotionPolicy.due(POLICY, at(0, 0, 0, 0, 0), 5 * MINUTE)).isTrue();
	}

	private static PromotionState withCounts(PromotionState s, long requests, long errors) {
		return new PromotionState(s.step(), s.weight(), s.windowStart(), requests, errors, 0, 0, s.holdUntil(), s.pinned(),
				s.version(), s.history());
	}

}
