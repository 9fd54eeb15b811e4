/**
 * RFC 9457 problem answers written where no MVC exception handler reaches: servlet filters (the security
 * boundary, a BFF's client policy) and the strangler proxy's own refusals.
 */
@NullMarked
package dev.bffgateway.core.problem;

import org.jspecify.annotations.NullMarked;
