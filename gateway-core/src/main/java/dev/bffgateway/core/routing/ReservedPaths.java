package dev.bffgateway.core.routing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The BFF's own paths, which no strangler route may take: the dashboard, the actuator and the API description.
 * A routes file that names one is rejected; a catch-all ({@code /**}, {@code /{name}/**}) is allowed and never
 * takes them.
 */
final class ReservedPaths {

	/** Each reserved path, with one path under it that a pattern claiming it would match. */
	private static final List<List<String>> RESERVED = List.of(List.of("/dashboard", "/dashboard"),
			List.of("/actuator", "/actuator/health"), List.of("/v3/api-docs", "/v3/api-docs/swagger-config"),
			List.of("/requests", "/requests/0123456789abcdef"), List.of("/ops", "/ops/routes/orders"));

	private static final PathPatternParser PARSER = new PathPatternParser();

	private ReservedPaths() {
	}

	/**
	 * @param pattern a route's path pattern
	 * @return the reserved path the pattern names explicitly, or {@code null}
	 */
	static @Nullable String claimedBy(String pattern) {
		PathPattern parsed;
		try {
			parsed = PARSER.parse(pattern);
		}
		catch (RuntimeException ex) {
			return null; // reported as an invalid pattern when the table is built
		}
		String literal = literalPrefix(pattern);
		if (literal.equals("/")) {
			return null; // a catch-all: the BFF's own handlers are matched first
		}
		for (List<String> reserved : RESERVED) {
			String path = reserved.get(0);
			boolean named = literal.startsWith(path) || path.startsWith(literal);
			if (named && (parsed.matches(PathContainer.parsePath(path))
					|| parsed.matches(PathContainer.parsePath(reserved.get(1))))) {
				return path;
			}
		}
		return null;
	}

	/** @return whether a request path is one of the BFF's own, which no route serves */
	static boolean isReserved(String path) {
		for (List<String> reserved : RESERVED) {
			String prefix = reserved.get(0);
			if (path.equals(prefix) || path.startsWith(prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	private static String literalPrefix(String pattern) {
		int end = pattern.length();
		for (char wild : new char[] { '{', '*', '?' }) {
			int at = pattern.indexOf(wild);
			if (at >= 0) {
				end = Math.min(end, at);
			}
		}
		return pattern.substring(0, end);
	}

}
