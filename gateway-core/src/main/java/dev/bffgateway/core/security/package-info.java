/**
 * Who is calling, and what a client may send: the BFF as the trust boundary between untrusted clients and
 * internal services. A caller's identity comes only from a verified JWT (or, on Lambda and by configuration,
 * from the claims API Gateway's authorizer verified), never from a header; the BFF sets the identity headers it
 * sends on itself. Paths that are not in normal form, oversize requests, forwarded headers from peers that are not
 * configured proxies, and headers a client names in {@code Connection} never get past the boundary.
 *
 * <p>The API is {@link dev.bffgateway.core.security.Caller}, {@link dev.bffgateway.core.security.CallerPolicy},
 * {@link dev.bffgateway.core.security.ClientFilter} and the configuration
 * ({@link dev.bffgateway.core.security.GatewaySecurityProperties}); the rest is internal.
 */
@NullMarked
package dev.bffgateway.core.security;

import org.jspecify.annotations.NullMarked;
