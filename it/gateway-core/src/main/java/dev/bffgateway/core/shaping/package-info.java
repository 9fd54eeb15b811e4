/**
 * Shaping payloads for a client: {@link dev.bffgateway.core.shaping.AllowList} keeps only the fields a client
 * may see, failing closed. Plain Java over Jackson trees.
 */
@NullMarked
package dev.bffgateway.core.shaping;

import org.jspecify.annotations.NullMarked;
