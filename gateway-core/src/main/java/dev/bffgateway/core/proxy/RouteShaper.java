package dev.bffgateway.core.proxy;

import dev.bffgateway.core.routing.Route;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * Shapes a route's JSON answers for the client, as a dashboard's sections are shaped: partner-bff passes a
 * partner only the fields on its allow-list. A BFF declares at most one bean of this type; without one, routes
 * pass answers through. A route declared {@code shape: passthrough} is never shaped. An answer that is not JSON
 * cannot be shaped and is withheld ({@code 502}), so shaping fails closed.
 */
@FunctionalInterface
public interface RouteShaper {

	/**
	 * @param route the route that answered
	 * @param request the client's request (e.g. to know which partner it is)
	 * @param answer the backend's JSON body
	 * @return what the client gets instead
	 */
	JsonNode shape(Route route, HttpServletRequest request, JsonNode answer);

}
