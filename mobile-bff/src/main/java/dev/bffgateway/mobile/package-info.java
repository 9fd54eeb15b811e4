/** The mobile client's BFF. */
@NullMarked
package dev.bffgateway.mobile;

import org.jspecify.annotations.NullMarked;
