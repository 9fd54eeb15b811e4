package dev.bffgateway.core.routing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

/**
 * Decides which side serves a request.
 *
 * <p>With a sticky key, the side is a pure function of (route id, key, weight): the pair is hashed to a bucket
 * in [0, 10000) and the request goes to the new side when the bucket is below {@code weight × 100}. So a
 * client stays on one side while the weight stands, and raising the weight only moves clients from legacy to
 * new, never back (a bucket below the old threshold is below the new one). Without a key, requests are
 * numbered and the numbers permuted within each block of 100, so any 100 consecutive requests split exactly
 * by the weight instead of approximately by chance.
 *
 * <p>The hash and the sequence are injected so tests can pin them. Thread-safe.
 */
public final class SideSelector {

	static final int BUCKETS = 10_000;

	private final ToLongFunction<String> hash;

	private final LongSupplier sequence;

	/** A selector with the default hash and its own request counter. */
	public SideSelector() {
		this(SideSelector::hash64, new AtomicLong()::getAndIncrement);
	}

	/**
	 * @param hash a well-mixed 64-bit hash of the (route id, sticky key) text
	 * @param sequence numbers requests that have no sticky key
	 */
	public SideSelector(ToLongFunction<String> hash, LongSupplier sequence) {
		this.hash = hash;
		this.sequence = sequence;
	}

	/**
	 * @param route the route the request matched
	 * @param stickyKey the request's sticky key, or {@code null} when it has none
	 * @return the side that serves the request
	 */
	public Side select(Route route, @Nullable String stickyKey) {
		if (route.weight() == 0) {
			return Side.LEGACY;
		}
		if (route.weight() == 100) {
			return Side.NEW;
		}
		int bucket;
		if (stickyKey == null || stickyKey.isEmpty()) {
			// 61 is coprime to 100: n -> 61n mod 100 visits every value once per 100 requests, interleaved
			bucket = (int) Math.floorMod(this.sequence.getAsLong() * 61, 100L) * (BUCKETS / 100);
		}
		else {
			bucket = (int) Math.floorMod(this.hash.applyAsLong(route.id() + '\u0000' + stickyKey), (long) BUCKETS);
		}
		return (bucket < route.weight() * (BUCKETS / 100)) ? Side.NEW : Side.LEGACY;
	}

	/** FNV-1a over the UTF-8 bytes, finished with MurmurHash3's 64-bit mix so every bit depends on every byte. */
	static long hash64(String text) {
		long h = 0xcbf29ce484222325L;
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			h ^= (b & 0xff);
			h *= 0x100000001b3L;
		}
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}

}
