/**
 * {@code GET /dashboard}: validates the caller, fans out to the parts a BFF's
 * {@link dev.bffgateway.core.dashboard.DashboardDefinition} names, and answers with the shaped sections plus
 * {@code degraded}, or 503 problem+json when a required part is missing.
 */
@NullMarked
package dev.bffgateway.core.dashboard;

import org.jspecify.annotations.NullMarked;
