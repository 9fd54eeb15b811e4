package dev.bffgateway.core.routing;

import java.util.List;

/**
 * The strangled dependencies as configured at startup, one {@link Route#dependency route without paths} each; a
 * BFF's route tables hold them, with the weight and breaker config the routes file gives each, if any.
 *
 * @param routes the strangled dependencies, in configuration order
 */
public record DependencyRoutes(List<Route> routes) {

	public DependencyRoutes {
		routes = List.copyOf(routes);
	}

}
