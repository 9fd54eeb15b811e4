/**
 * Strangler routing: route tables ops edit in {@code routes/}, and the decision which side — legacy or new —
 * serves a request. Plain Java at its heart: {@link dev.bffgateway.core.routing.SideSelector} and
 * {@link dev.bffgateway.core.routing.RouteTable} need no Spring context.
 */
@NullMarked
package dev.bffgateway.core.routing;

import org.jspecify.annotations.NullMarked;
