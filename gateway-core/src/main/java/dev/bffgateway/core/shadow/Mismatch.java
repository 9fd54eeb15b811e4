package dev.bffgateway.core.shadow;

import java.time.Instant;
import java.util.List;

/**
 * One comparison that did not match: when, which side served, and where the answers differ (values only where the
 * route shows them). Nothing of the request: no path, no user.
 * @param at when the shadow answer came
 * @param served the side that served the client
 * @param differences where the answers differ
 */
public record Mismatch(Instant at, String served, List<Comparison.Difference> differences) {
}
