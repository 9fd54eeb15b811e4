/**
 * The parallel run: a share of a route's reads is also sent to the side that did not serve them, after the client's
 * answer is on its way, and the two answers are compared (status, listed headers, JSON bodies semantically, with
 * ignored paths), so ops can see whether the new service answers as the old one does before moving traffic.
 * {@link dev.bffgateway.core.shadow.ShadowRuns} is what the proxy asks; {@link dev.bffgateway.core.shadow.Comparison}
 * compares two answers.
 */
@NullMarked
package dev.bffgateway.core.shadow;

import org.jspecify.annotations.NullMarked;
