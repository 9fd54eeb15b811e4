/**
 * The strangler proxy: requests a route of the live table takes are served through Gateway Server MVC by the
 * routing capability's {@link dev.bffgateway.core.routing.Strangler}, on the proxy's own HTTP client, and their
 * JSON answers shaped for the client by a BFF's {@link dev.bffgateway.core.proxy.RouteShaper}, if it has one.
 */
@NullMarked
package dev.bffgateway.core.proxy;

import org.jspecify.annotations.NullMarked;
