package dev.bffgateway.core.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * An immutable, validated snapshot of a BFF's strangler routes. A reload builds a new table and swaps it in
 * whole; requests in flight keep the table they started with.
 *
 * <p>Lookup tries the most specific pattern first, so {@code /orders/{id}/invoice} wins over
 * {@code /orders/**}; two routes that could take the same request with equal specificity are rejected when
 * the table is built.
 */
public final class RouteTable {

	private static final PathPatternParser PARSER = new PathPatternParser();

	private final String source;

	private final long version;

	private final Instant loadedAt;

	private final List<Route> routes;

	private final Map<String, Route> dependencies;

	private final List<Entry> entries;

	private record Entry(PathPattern pattern, Route route) {
	}

	/**
	 * @param source where the table came from, for messages (e.g. {@code routes/web-bff.yml})
	 * @param version increases with every table a BFF loads
	 * @param loadedAt when the table was loaded
	 * @param routes the routes; ids unique, patterns valid and unambiguous
	 * @throws InvalidRouteTableException naming the source and the offending key and value
	 */
	public RouteTable(String source, long version, Instant loadedAt, List<Route> routes) {
		this(source, version, loadedAt, routes, List.of());
	}

	/**
	 * @param source where the table came from, for messages (e.g. {@code routes/web-bff.yml})
	 * @param version increases with every table a BFF loads
	 * @param loadedAt when the table was loaded
	 * @param routes the routes; ids unique, patterns valid and unambiguous
	 * @param dependencies the strangled dependencies (routes without paths), ids distinct from the routes'
	 * @throws InvalidRouteTableException naming the source and the offending key and value
	 */
	public RouteTable(String source, long version, Instant loadedAt, List<Route> routes, List<Route> dependencies) {
		this.source = source;
		this.version = version;
		this.loadedAt = loadedAt;
		this.routes = List.copyOf(routes);
		Map<String, Route> byId = new LinkedHashMap<>();
		dependencies.forEach((dependency) -> byId.put(dependency.id(), dependency));
		this.dependencies = Collections.unmodifiableMap(byId);
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; i < routes.size(); i++) {
			Route route = routes.get(i);
			for (int j = 0; j < route.paths().size(); j++) {
				String path = route.paths().get(j);
				try {
					entries.add(new Entry(PARSER.parse(path), route));
				}
				catch (RuntimeException ex) {
					throw new InvalidRouteTableException(source + ": routes[" + i + "].paths[" + j
							+ "] is not a valid path pattern (" + ex.getMessage() + "), but was '" + path + "'", ex);
				}
			}
		}
		entries.sort(Comparator.comparing(Entry::pattern, PathPattern.SPECIFICITY_COMPARATOR));
		this.entries = List.copyOf(entries);
		rejectAmbiguity();
	}

	/** An empty table: no strangler routes. */
	public static RouteTable empty(String source) {
		return new RouteTable(source, 0, Instant.EPOCH, List.of());
	}

	private void rejectAmbiguity() {
		for (int a = 0; a < this.entries.size(); a++) {
			for (int b = a + 1; b < this.entries.size(); b++) {
				Entry first = this.entries.get(a);
				Entry second = this.entries.get(b);
				if (first.route() == second.route() || !methodsOverlap(first.route(), second.route())) {
					continue;
				}
				if (PathPattern.SPECIFICITY_COMPARATOR.compare(first.pattern(), second.pattern()) == 0
						&& matchesEachOther(first.pattern(), second.pattern())) {
					throw new InvalidRouteTableException(this.source + ": routes '" + first.route().id() + "' and '"
							+ second.route().id() + "' are ambiguous: paths '" + first.pattern().getPatternString()
							+ "' and '" + second.pattern().getPatternString()
							+ "' take the same requests with equal specificity");
				}
			}
		}
	}

	private static boolean methodsOverlap(Route first, Route second) {
		return first.methods().isEmpty() || second.methods().isEmpty()
				|| first.methods().stream().anyMatch(second.methods()::contains);
	}

	private static boolean matchesEachOther(PathPattern first, PathPattern second) {
		return first.matches(PathContainer.parsePath(second.getPatternString()))
				|| second.matches(PathContainer.parsePath(first.getPatternString()));
	}

	/**
	 * @param method the request's HTTP method
	 * @param path the request's path (decoded form is not needed: patterns match encoded segments)
	 * @return the route that takes the request, if any; never one for the BFF's own paths ({@code /dashboard},
	 * the actuator, the API docs), even under a catch-all
	 */
	public Optional<Route> match(String method, String path) {
		if (ReservedPaths.isReserved(path)) {
			return Optional.empty();
		}
		PathContainer container = PathContainer.parsePath(path);
		for (Entry entry : this.entries) {
			if (entry.route().takes(method) && entry.pattern().matches(container)) {
				return Optional.of(entry.route());
			}
		}
		return Optional.empty();
	}

	/**
	 * @param name a dependency's name
	 * @return the dependency's strangling (weight, sides, breaker config) in this table, or {@code null} when it
	 * is not strangled
	 */
	public @Nullable Route dependency(String name) {
		return this.dependencies.get(name);
	}

	/** @return the strangled dependencies, in configuration order */
	public Collection<Route> dependencies() {
		return this.dependencies.values();
	}

	/** @return the routes, in file order */
	public List<Route> routes() {
		return this.routes;
	}

	/** @return where the table came from */
	public String source() {
		return this.source;
	}

	/** @return the table's version: 1 for the first loaded, then one more per accepted reload */
	public long version() {
		return this.version;
	}

	/** @return when the table was loaded */
	public Instant loadedAt() {
		return this.loadedAt;
	}

}
