package dev.bffgateway.core.routing;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dependencies as configured at startup: the strangled ones as {@link Route#dependency routes without paths},
 * which a BFF's route tables hold with the weight and breaker config the routes file gives each, and every
 * dependency's name, which no route may take (a dependency's breakers and metrics are named after it).
 *
 * @param routes the strangled dependencies, in configuration order
 * @param names every dependency's name, strangled or not
 */
public record DependencyRoutes(List<Route> routes, Set<String> names) {

	public DependencyRoutes {
		routes = List.copyOf(routes);
		Set<String> all = new LinkedHashSet<>(names);
		routes.forEach((route) -> all.add(route.id()));
		names = Collections.unmodifiableSet(all);
	}

}
