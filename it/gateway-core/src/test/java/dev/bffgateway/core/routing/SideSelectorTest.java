package dev.bffgateway.core.routing;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SideSelectorTest {

	private final SideSelector selector = new SideSelector();

	static Route route(String id, int weight) {
		return new Route(id, List.of("/orders/**"), Set.of(), URI.create("http://legacy"), URI.create("http://new"),
				weight, new StickyKey.Header("X-User-Id"));
	}

	@Test
	void tenThousandKeysSplitWithinOnePointOfTheWeight() {
		Route route = route("orders", 30);

		long onNew = IntStream.range(0, 10_000)
			.filter((i) -> this.selector.select(route, "user-" + i) == Side.NEW)
			.count();

		assertThat(onNew / 100.0).isBetween(29.0, 31.0);
	}

	@Test
	void aKeyStaysOnOneSideWhileTheWeightStands() {
		Route route = route("orders", 50);
		List<Side> sides = IntStream.range(0, 100).mapToObj((i) -> this.selector.select(route, "user-7")).toList();

		assertThat(sides).containsOnly(sides.get(0));
	}

	@Test
	void raisingTheWeightOnlyMovesKeysFromLegacyToNew() {
		Route before = route("orders", 30);
		Route after = route("orders", 60);

		List<String> movedBack = IntStream.range(0, 10_000)
			.mapToObj((i) -> "user-" + i)
			.filter((key) -> this.selector.select(before, key) == Side.NEW
					&& this.selector.select(after, key) == Side.LEGACY)
			.toList();
		long movedForward = IntStream.range(0, 10_000)
			.mapToObj((i) -> "user-" + i)
			.filter((key) -> this.selector.select(before, key) == Side.LEGACY
					&& this.selector.select(after, key) == Side.NEW)
			.count();

		assertThat(movedBack).isEmpty();
		assertThat(movedForward / 100.0).isBetween(29.0, 31.0);
	}

	@Test
	void theRouteIdIsPartOfTheHashSoRoutesSplitIndependently() {
		Route orders = route("orders", 50);
		Route invoices = route("invoices", 50);

		long sameSide = IntStream.range(0, 10_000)
			.filter((i) -> this.selector.select(orders, "user-" + i) == this.selector.select(invoices, "user-" + i))
			.count();

		assertThat(sameSide / 100.0).isBetween(47.0, 53.0);
	}

	@Test
	void withoutAKeyEveryHundredRequestsSplitExactly() {
		SideSelector counted = new SideSelector(SideSelector::hash64, new AtomicLong(12_345)::getAndIncrement);
		Route route = route("orders", 30);

		for (int block = 0; block < 5; block++) {
			long onNew = IntStream.range(0, 100).filter((i) -> counted.select(route, null) == Side.NEW).count();
			assertThat(onNew).isEqualTo(30);
		}
	}

	@Test
	void weightsZeroAndHundredNeverConsultTheHash() {
		SideSelector failing = new SideSelector((text) -> {
			throw new AssertionError("hashed");
		}, () -> {
			throw new AssertionError("counted");
		});

		assertThat(failing.select(route("orders", 0), "user-1")).isEqualTo(Side.LEGACY);
		assertThat(failing.select(route("orders", 100), null)).isEqualTo(Side.NEW);
	}

	@Test
	void theHashIsStableAcrossReleases() {
		// pinned: changing the hash would move users between sides on deployment
		assertThat(Long.toHexString(SideSelector.hash64("orders\u0000user-1"))).isEqualTo("b79110becdb9fed6");
		assertThat(Long.toHexString(SideSelector.hash64(""))).isEqualTo("efd01f60ba992926");
	}

}
