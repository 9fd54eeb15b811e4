/**
 * The web client's BFF: its dashboard composition (full sections) on top of gateway-core.
 */
@NullMarked
package dev.bffgateway.web;

import org.jspecify.annotations.NullMarked;
