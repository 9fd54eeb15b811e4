/** The partner client's BFF. */
@NullMarked
package dev.bffgateway.partner;

import org.jspecify.annotations.NullMarked;
