package dev.bffgateway.core.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Reads a routes file (YAML) into a {@link RouteTable}, with Spring Boot's binder so unknown keys and
 * unreadable values are caught like in {@code application.yml}. Every error names the file, the key and the
 * value.
 *
 * <pre>
 * routes:
 *   - id: orders
 *     paths: [/orders, /orders/**]
 *     methods: [GET, POST]          # optional: every method
 *     legacy-uri: http://legacy.internal:8080
 *     new-uri: http://orders.internal:8080
 *     weight: 30                    # percent of traffic to new-uri
 *     sticky:
 *       header: X-User-Id           # or cookie: session; omit for a per-request split
 *     auth: none                    # optional: public; by default a verified user token is needed
 *     scopes: [orders:write]        # optional: scopes the token needs
 *     shape: passthrough            # optional: a BFF that shapes route answers (partner-bff) passes these as they are
 *     breaker: strict               # optional: the resilience4j.circuitbreaker.configs entry its breakers start from
 *     retry:
 *       max-attempts: 2             # optional: attempts for a request safe to send again (1..5; 1, no retry, by default)
 *     on-unavailable: store         # optional: store critical writes no side can take and replay them (fail by default)
 *     shadow:                       # optional: a parallel run, answers compared
 *       percent: 10                 # share of reads also sent to the side not serving
 *       headers: [Content-Type]     # optional: response headers compared, besides status and body
 *       ignore: [/generatedAt, /items/*{@literal /}id]   # optional: JSON pointers left out, * for one segment
 *       unordered-arrays: [/tags]   # optional: arrays compared in any order
 *       show-values: false          # optional: keep the differing values of a mismatch (off by default)
 *     promotion:                    # optional: move the weight on the new side's error and mismatch rates
 *       steps: [5, 25, 50, 100]
 *       interval: 5m
 *       min-requests: 500
 *       max-error-rate: 1%
 *       max-mismatch-rate: 0.5%
 * dependencies:                     # optional: strangled dependencies (gateway.dependencies.instances.*.new-base-url)
 *   account:
 *     weight: 20                    # overrides gateway.dependencies.instances.account.weight, live
 *     breaker: strict               # optional, as for a route
 * </pre>
 *
 * <p>A route may not claim the BFF's own paths ({@code /dashboard}, {@code /actuator/**},
 * {@code /v3/api-docs/**}); a catch-all such as {@code /**} may exist, and those paths stay the BFF's.
 */
final class RouteTableParser {

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	/** What one route looks like in the file, before validation. */
	record RouteSpec(@Nullable String id, @Nullable List<String> paths, @Nullable List<String> methods,
			@Nullable String legacyUri, @Nullable String newUri, @Nullable Integer weight,
			@Nullable StickySpec sticky, @Nullable String auth, @Nullable List<String> scopes, @Nullable String shape,
			@Nullable String breaker, @Nullable RetrySpec retry, @Nullable String onUnavailable,
			@Nullable ShadowSpec shadow, @Nullable PromotionSpec promotion) {
	}

	/** A route's promotion policy; rates as {@code 1%} or {@code 0.01}. */
	record PromotionSpec(@Nullable List<Integer> steps, java.time.@Nullable Duration interval, @Nullable Long minRequests,
			@Nullable String maxErrorRate, @Nullable String maxMismatchRate) {
	}

	/** A route's parallel run. */
	record ShadowSpec(@Nullable Integer percent, @Nullable List<String> headers, @Nullable List<String> ignore,
			@Nullable List<String> unorderedArrays, @Nullable Boolean showValues) {
	}

	/** How a route retries a request that is safe to send again. */
	record RetrySpec(@Nullable Integer maxAttempts) {
	}

	/** What the file says about one strangled dependency. */
	record DependencySpec(@Nullable Integer weight, @Nullable String breaker) {
	}

	/** Where the sticky key comes from: one of header or cookie. */
	record StickySpec(@Nullable String header, @Nullable String cookie) {
	}

	/** The whole file. */
	record RoutesDocument(@Nullable List<RouteSpec> routes, @Nullable Map<String, DependencySpec> dependencies) {
	}

	private final Map<String, Route> dependencies;

	private final Set<String> dependencyNames;

	private final @Nullable Set<String> breakerConfigs;

	private final boolean storeAvailable;

	/** A parser for tables without strangled dependencies, taking any breaker config name, storing writes. */
	RouteTableParser() {
		this(List.of(), Set.of(), null, true);
	}

	/**
	 * @param dependencies the strangled dependencies as configured at startup; a table holds each, with the weight
	 * and breaker config its file gives, if any
	 * @param breakerConfigs the breaker configs a route may name, or {@code null} to take any
	 */
	RouteTableParser(Collection<Route> dependencies, @Nullable Set<String> breakerConfigs) {
		this(dependencies, Set.of(), breakerConfigs, true);
	}

	/**
	 * @param dependencies the strangled dependencies as configured at startup; a table holds each, with the weight
	 * and breaker config its file gives, if any
	 * @param dependencyNames every dependency's name, strangled or not: no route may take one, since a route's
	 * breakers and metrics would be the dependency's
	 * @param breakerConfigs the breaker configs a route may name, or {@code null} to take any
	 * @param storeAvailable whether the BFF has a request store, so a route may store its writes
	 */
	RouteTableParser(Collection<Route> dependencies, Set<String> dependencyNames, @Nullable Set<String> breakerConfigs,
			boolean storeAvailable) {
		this.storeAvailable = storeAvailable;
		Map<String, Route> byId = new LinkedHashMap<>();
		dependencies.forEach((dependency) -> byId.put(dependency.id(), dependency));
		this.dependencies = Collections.unmodifiableMap(byId);
		Set<String> names = new HashSet<>(dependencyNames);
		names.addAll(byId.keySet());
		this.dependencyNames = Set.copyOf(names);
		this.breakerConfigs = (breakerConfigs != null) ? Set.copyOf(breakerConfigs) : null;
	}

	/**
	 * @param source the file's name for messages, e.g. {@code routes/web-bff.yml}
	 * @param yaml the file's content
	 * @param version the version the table gets
	 * @param loadedAt when it was read
	 * @return the validated table
	 * @throws InvalidRouteTableException naming the file, the key and the value
	 */
	RouteTable parse(String source, String yaml, long version, Instant loadedAt) {
		RoutesDocument document = bind(source, yaml);
		List<RouteSpec> specs = (document.routes() != null) ? document.routes() : List.of();
		List<Route> routes = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < specs.size(); i++) {
			Route route = toRoute(source, "routes[" + i + "]", specs.get(i));
			if (!ids.add(route.id())) {
				throw new InvalidRouteTableException(
						source + ": routes[" + i + "].id must be unique, but '" + route.id() + "' repeats");
			}
			if (this.dependencyNames.contains(route.id())) {
				throw new InvalidRouteTableException(source + ": routes[" + i + "].id must not be a dependency's name ("
						+ "a route's breakers and metrics share one namespace with the dependencies'), but was '"
						+ route.id() + "'");
			}
			routes.add(route);
		}
		return new RouteTable(source, version, loadedAt, routes, dependencies(source, document.dependencies()));
	}

	private List<Route> dependencies(String source, @Nullable Map<String, DependencySpec> specs) {
		Map<String, DependencySpec> given = (specs != null) ? specs : Map.of();
		for (String name : given.keySet()) {
			if (!this.dependencies.containsKey(name)) {
				throw new InvalidRouteTableException(source + ": dependencies." + name + " must name a strangled "
						+ "dependency " + this.dependencies.keySet() + " (one with gateway.dependencies.instances." + name
						+ ".new-base-url), but was '" + name + "'");
			}
		}
		List<Route> strangled = new ArrayList<>();
		for (Route dependency : this.dependencies.values()) {
			DependencySpec spec = given.get(dependency.id());
			if (spec == null) {
				strangled.add(dependency);
				continue;
			}
			String where = source + ": dependencies." + dependency.id();
			int weight = dependency.weight();
			if (spec.weight() != null) {
				weight = weight(where + ".weight", spec.weight());
			}
			strangled.add(dependency.with(weight, breaker(where + ".breaker", spec.breaker())));
		}
		return strangled;
	}

	private static int weight(String key, @Nullable Integer weight) {
		if (weight == null) {
			throw new InvalidRouteTableException(key + " must be set (0..100), but was missing");
		}
		if (weight < 0 || weight > 100) {
			throw new InvalidRouteTableException(key + " must be 0..100, but was " + weight);
		}
		return weight;
	}

	private String breaker(String key, @Nullable String name) {
		if (name == null) {
			return Route.DEFAULT_BREAKER;
		}
		Set<String> known = this.breakerConfigs;
		if (known != null && !known.contains(name)) {
			throw new InvalidRouteTableException(key + " must name one of resilience4j.circuitbreaker.configs "
					+ known.stream().sorted().toList() + ", but was '" + name + "'");
		}
		return name;
	}

	private RoutesDocument bind(String source, String yaml) {
		List<PropertySource<?>> sources;
		try {
			sources = new YamlPropertySourceLoader().load(source,
					new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), source));
		}
		catch (Exception ex) {
			throw new InvalidRouteTableException(source + ": not valid YAML" + yamlProblem(ex), ex);
		}
		if (sources.size() > 1) {
			throw new InvalidRouteTableException(source + ": must hold one YAML document, but has " + sources.size());
		}
		if (sources.isEmpty()) {
			return new RoutesDocument(List.of(), Map.of());
		}
		IterableConfigurationPropertySource properties = (IterableConfigurationPropertySource) ConfigurationPropertySource
			.from(sources.get(0));
		Bound bound = new Bound();
		RoutesDocument document;
		try {
			document = new Binder(properties).bind(ConfigurationPropertyName.EMPTY, Bindable.of(RoutesDocument.class), bound)
				.orElse(new RoutesDocument(List.of(), Map.of()));
		}
		catch (BindException ex) {
			throw new InvalidRouteTableException(source + ": " + describe(ex), ex);
		}
		String unknown = properties.stream()
			.filter((name) -> !bound.names.contains(name))
			.map((name) -> name + " is not a known key, but was set to '"
					+ Objects.requireNonNull(properties.getConfigurationProperty(name)).getValue() + "'")
			.sorted()
			.collect(Collectors.joining("; "));
		if (!unknown.isEmpty()) {
			throw new InvalidRouteTableException(source + ": " + unknown);
		}
		return document;
	}

	/**
	 * Records every key that was bound, so any other is an unknown key. Boot's {@code NoUnboundElementsBindHandler}
	 * checks only the first level inside a list's elements: {@code routes[0].sticky.hdr} would pass unseen.
	 */
	private static final class Bound extends AbstractBindHandler {

		private final Set<ConfigurationPropertyName> names = new HashSet<>();

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				@Nullable Object result) {
			this.names.add(name);
			return super.onSuccess(name, target, context, result);
		}

	}

	private static String describe(BindException ex) {
		ConfigurationProperty property = ex.getProperty();
		if (property != null) {
			return property.getName() + " cannot be read as " + ex.getTarget().getType() + ", but was '"
					+ property.getValue() + "'";
		}
		return ex.getName() + " cannot be read: " + firstLine(String.valueOf(ex.getCause()));
	}

	private Route toRoute(String source, String key, RouteSpec spec) {
		String where = source + ": " + key;
		if (spec.id() == null || spec.id().isBlank()) {
			throw new InvalidRouteTableException(where + ".id must be set, but was missing");
		}
		if (spec.paths() == null || spec.paths().isEmpty()) {
			throw new InvalidRouteTableException(where + ".paths must list at least one path, but was empty");
		}
		for (int j = 0; j < spec.paths().size(); j++) {
			String path = spec.paths().get(j);
			if (!path.startsWith("/")) {
				throw new InvalidRouteTableException(where + ".paths[" + j + "] must start with '/', but was '"
						+ path + "'");
			}
			String reserved = ReservedPaths.claimedBy(path);
			if (reserved != null) {
				throw new InvalidRouteTableException(where + ".paths[" + j + "] must not claim the BFF's own path "
						+ reserved + ", but was '" + path + "'");
			}
		}
		Set<String> methods = new HashSet<>();
		List<String> listed = (spec.methods() != null) ? spec.methods() : List.of();
		for (int j = 0; j < listed.size(); j++) {
			String method = listed.get(j).toUpperCase(Locale.ROOT);
			if (!METHODS.contains(method)) {
				throw new InvalidRouteTableException(where + ".methods[" + j + "] must be one of "
						+ METHODS.stream().sorted().toList() + ", but was '" + listed.get(j) + "'");
			}
			methods.add(method);
		}
		URI legacy = uri(where + ".legacy-uri", spec.legacyUri());
		URI newUri = uri(where + ".new-uri", spec.newUri());
		int weight = weight(where + ".weight", spec.weight());
		return new Route(spec.id(), spec.paths(), methods, legacy, newUri, weight,
				sticky(where + ".sticky", spec.sticky()), auth(where + ".auth", spec.auth()),
				(spec.scopes() != null) ? Set.copyOf(spec.scopes()) : Set.of(), shape(where + ".shape", spec.shape()),
				breaker(where + ".breaker", spec.breaker()), maxAttempts(where + ".retry.max-attempts", spec.retry()),
				onUnavailable(where + ".on-unavailable", spec.onUnavailable(), methods),
				shadow(where + ".shadow", spec.shadow()), promotion(where + ".promotion", spec.promotion()));
	}

	private static Route.@Nullable Promotion promotion(String key, @Nullable PromotionSpec spec) {
		if (spec == null) {
			return null;
		}
		List<Integer> steps = spec.steps();
		if (steps == null || steps.isEmpty()) {
			throw new InvalidRouteTableException(key + ".steps must list at least one weight, but was empty");
		}
		for (int i = 0; i < steps.size(); i++) {
			int step = steps.get(i);
			if (step < 0 || step > 100 || (i > 0 && step <= steps.get(i - 1))) {
				throw new InvalidRouteTableException(key + ".steps must be ascending weights 0..100, but was " + steps);
			}
		}
		java.time.Duration interval = (spec.interval() != null) ? spec.interval() : java.time.Duration.ofMinutes(5);
		if (!interval.isPositive()) {
			throw new InvalidRouteTableException(key + ".interval must be positive, but was '" + interval + "'");
		}
		long minRequests = (spec.minRequests() != null) ? spec.minRequests() : 500;
		if (minRequests < 1) {
			throw new InvalidRouteTableException(key + ".min-requests must be at least 1, but was " + minRequests);
		}
		return new Route.Promotion(steps, interval, minRequests, rate(key + ".max-error-rate", spec.maxErrorRate(), "1%"),
				rate(key + ".max-mismatch-rate", spec.maxMismatchRate(), "0.5%"));
	}

	/** A rate as {@code 1%} or {@code 0.01}, 0 to 1. */
	private static double rate(String key, @Nullable String value, String fallback) {
		String given = (value != null) ? value.trim() : fallback;
		try {
			double rate = given.endsWith("%") ? Double.parseDouble(given.substring(0, given.length() - 1)) / 100
					: Double.parseDouble(given);
			if (rate < 0 || rate > 1) {
				throw new NumberFormatException();
			}
			return rate;
		}
		catch (NumberFormatException ex) {
			throw new InvalidRouteTableException(key + " must be a rate 0%..100% (or 0..1), but was '" + value + "'");
		}
	}

	private static Route.@Nullable Shadow shadow(String key, @Nullable ShadowSpec spec) {
		if (spec == null) {
			return null;
		}
		if (spec.percent() == null || spec.percent() < 0 || spec.percent() > 100) {
			throw new InvalidRouteTableException(key + ".percent must be 0..100, but was " + spec.percent());
		}
		List<String> ignore = pointers(key + ".ignore", spec.ignore());
		List<String> unordered = pointers(key + ".unordered-arrays", spec.unorderedArrays());
		return new Route.Shadow(spec.percent(), (spec.headers() != null) ? spec.headers() : List.of(), ignore,
				unordered, Boolean.TRUE.equals(spec.showValues()));
	}

	/** JSON pointers, {@code *} standing for one segment: each must start with '/'. */
	private static List<String> pointers(String key, @Nullable List<String> pointers) {
		List<String> listed = (pointers != null) ? pointers : List.of();
		for (int i = 0; i < listed.size(); i++) {
			if (!listed.get(i).startsWith("/")) {
				throw new InvalidRouteTableException(key + "[" + i + "] must be a JSON pointer (starting with '/'), but was '"
						+ listed.get(i) + "'");
			}
		}
		return listed;
	}

	private Route.OnUnavailable onUnavailable(String key, @Nullable String value, Set<String> methods) {
		Route.OnUnavailable chosen = choice(key, value,
				Map.of("fail", Route.OnUnavailable.FAIL, "store", Route.OnUnavailable.STORE), "fail");
		if (chosen == Route.OnUnavailable.STORE) {
			if (!this.storeAvailable) {
				throw new InvalidRouteTableException(key + " is 'store', but this BFF has no request store "
						+ "(gateway.replay.table and gateway.replay.queue-url)");
			}
			if (!methods.isEmpty() && methods.stream().noneMatch(Route.WRITES::contains)) {
				throw new InvalidRouteTableException(key + " is 'store', which takes writes (" + Route.WRITES.stream()
					.sorted()
					.toList() + "), but the route's methods are " + methods.stream().sorted().toList());
			}
		}
		return chosen;
	}

	private static int maxAttempts(String key, @Nullable RetrySpec retry) {
		Integer attempts = (retry != null) ? retry.maxAttempts() : null;
		if (attempts == null) {
			return 1;
		}
		if (attempts < 1 || attempts > Route.MAX_ATTEMPTS) {
			throw new InvalidRouteTableException(key + " must be 1.." + Route.MAX_ATTEMPTS + ", but was " + attempts);
		}
		return attempts;
	}

	private static Route.Shape shape(String key, @Nullable String value) {
		return choice(key, value, Map.of("allow-list", Route.Shape.ALLOW_LIST, "passthrough", Route.Shape.PASSTHROUGH),
				"allow-list");
	}

	private static Route.Auth auth(String key, @Nullable String value) {
		return choice(key, value, Map.of("user", Route.Auth.USER, "none", Route.Auth.NONE), "user");
	}

	/** One of a few words, the default when absent; anything else names the key, the words and the value. */
	private static <E> E choice(String key, @Nullable String value, Map<String, E> words, String fallback) {
		E chosen = words.get((value != null) ? value : fallback);
		if (chosen == null) {
			String other = words.keySet().stream().filter((w) -> !w.equals(fallback)).sorted().findFirst().orElseThrow();
			throw new InvalidRouteTableException(key + " must be '" + fallback + "' (the default) or '" + other
					+ "', but was '" + value + "'");
		}
		return chosen;
	}

	private static URI uri(String key, @Nullable String value) {
		if (value == null) {
			throw new InvalidRouteTableException(key + " must be set, but was missing");
		}
		try {
			URI uri = new URI(value);
			if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
				throw new InvalidRouteTableException(key + " must be an absolute http(s) URL, but was '" + value + "'");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new InvalidRouteTableException(key + " must be an absolute http(s) URL, but was '" + value + "'", ex);
		}
	}

	private static StickyKey sticky(String key, @Nullable StickySpec spec) {
		if (spec == null || (spec.header() == null && spec.cookie() == null)) {
			return StickyKey.NONE;
		}
		if (spec.header() != null && spec.cookie() != null) {
			throw new InvalidRouteTableException(key + " must name a header or a cookie, not both, but was header '"
					+ spec.header() + "' and cookie '" + spec.cookie() + "'");
		}
		return (spec.header() != null) ? new StickyKey.Header(spec.header()) : new StickyKey.Cookie(spec.cookie());
	}

	private static String yamlProblem(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
				return " at line " + (marked.getProblemMark().getLine() + 1) + ", column "
						+ (marked.getProblemMark().getColumn() + 1) + ": " + marked.getProblem();
			}
		}
		return ": " + firstLine(failure.getMessage());
	}

	private static String firstLine(@Nullable String text) {
		if (text == null) {
			return "";
		}
		int newline = text.indexOf('\n');
		return (newline < 0) ? text : text.substring(0, newline);
	}

}
