package dev.bffgateway.core.routing;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live route table of a BFF: one immutable {@link RouteTable} behind an atomic reference. A reload reads
 * the source, builds and validates a whole new table, and only then swaps it in; a request holds the table it
 * started with, so a swap never disturbs one in flight. An invalid source keeps the last good table, logs the
 * file, key and value, and counts the rejection. Thread-safe.
 */
public final class RouteTables {

	private static final Logger logger = LoggerFactory.getLogger(RouteTables.class);

	/** The outcome of the latest reload attempt. */
	public record ReloadResult(Instant at, boolean accepted, @Nullable String error) {
	}

	private final RoutesSource source;

	private final RouteTableParser parser;

	private final Clock clock;

	private final AtomicReference<RouteTable> current = new AtomicReference<>();

	private final AtomicLong versions = new AtomicLong();

	private final AtomicLong rejected = new AtomicLong();

	private volatile @Nullable String lastContent;

	private volatile @Nullable ReloadResult lastReload;

	/** Whether the last read failed: a later read of the same content then clears the failure shown. */
	private volatile boolean unreadable;

	/** The table as its source declares it, before any weight set by promotion. */
	private volatile RouteTable declared;

	/** Weights set by promotion, by route id, laid over what the source declares. */
	private volatile Map<String, Integer> weights = Map.of();

	/**
	 * Loads the first table.
	 * @throws InvalidRouteTableException if the source is invalid: a BFF must not start with a bad table
	 */
	RouteTables(RoutesSource source, RouteTableParser parser, Clock clock) {
		this.source = Objects.requireNonNull(source, "source");
		this.parser = parser;
		this.clock = clock;
		String content = readOrFail();
		this.declared = parse(content);
		this.current.set(this.declared);
		this.lastContent = content;
		this.lastReload = new ReloadResult(clock.instant(), true, null);
	}

	private String readOrFail() {
		try {
			return this.source.read();
		}
		catch (IOException ex) {
			throw new InvalidRouteTableException(this.source.name() + ": cannot be read (" + ex + ")", ex);
		}
	}

	/** Parses a table with the next version, which it takes only once the content proved valid. */
	private RouteTable parse(String content) {
		RouteTable table = this.parser.parse(this.source.name(), content, this.versions.get() + 1,
				this.clock.instant());
		this.versions.set(table.version());
		return table;
	}

	/** @return the table in force */
	public RouteTable current() {
		return this.current.get();
	}

	/**
	 * Reads the source and swaps in a new table if the content changed and is valid.
	 * @return {@code true} if a new table was swapped in
	 */
	public synchronized boolean reloadIfChanged() {
		String content;
		try {
			content = this.source.read();
		}
		catch (IOException ex) {
			this.unreadable = true;
			return reject(this.source.name() + ": cannot be read (" + ex + ")");
		}
		if (content.equals(this.lastContent)) {
			if (this.unreadable) {
				// readable again, unchanged: the table in force is the source's again, nothing to swap
				this.unreadable = false;
				this.lastReload = new ReloadResult(this.clock.instant(), true, null);
			}
			return false;
		}
		this.unreadable = false;
		this.lastContent = content;
		RouteTable table;
		try {
			table = parse(content);
		}
		catch (InvalidRouteTableException ex) {
			return reject(ex.getMessage());
		}
		this.declared = table;
		this.current.set(overlaid(table, this.weights));
		this.lastReload = new ReloadResult(this.clock.instant(), true, null);
		logger.info("Route table {} version {} applied: {} routes", this.source.name(), table.version(),
				table.routes().size());
		return true;
	}

	private boolean reject(String error) {
		this.rejected.incrementAndGet();
		this.lastReload = new ReloadResult(this.clock.instant(), false, error);
		logger.error("Route table reload rejected, keeping version {}: {}", current().version(), error);
		return false;
	}

	/**
	 * Lays weights decided by promotion over the table the source declares (for routes it declares; others are
	 * ignored), now and after every reload, until other weights are laid.
	 * @param weights route id to weight, 0 to 100
	 */
	public synchronized void overrideWeights(Map<String, Integer> weights) {
		if (weights.equals(this.weights)) {
			return;
		}
		this.weights = Map.copyOf(weights);
		this.current.set(overlaid(this.declared, this.weights));
		logger.info("Route weights set by promotion: {}", new java.util.TreeMap<>(weights));
	}

	/** @return a route as its source declares it, before a weight set by promotion, or {@code null} */
	public @Nullable Route declared(String id) {
		return this.declared.routes().stream().filter((r) -> r.id().equals(id)).findFirst().orElse(null);
	}

	private static RouteTable overlaid(RouteTable table, Map<String, Integer> weights) {
		if (weights.isEmpty()) {
			return table;
		}
		List<Route> routes = table.routes().stream().map((route) -> {
			Integer weight = weights.get(route.id());
			return (weight != null && weight != route.weight()) ? route.with(weight, route.breaker()) : route;
		}).toList();
		return new RouteTable(table.source(), table.version(), table.loadedAt(), routes,
				List.copyOf(table.dependencies()));
	}

	/** @return the latest reload attempt's outcome */
	public @Nullable ReloadResult lastReload() {
		return this.lastReload;
	}

	/** @return how many reloads were rejected since start */
	public long rejectedReloads() {
		return this.rejected.get();
	}

	/** @return where the tables come from */
	public RoutesSource source() {
		return this.source;
	}

}
