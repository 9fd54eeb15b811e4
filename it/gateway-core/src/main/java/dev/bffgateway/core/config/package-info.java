/**
 * The defaults every BFF starts from (virtual threads, problem details, actuator exposure), applied with
 * the lowest precedence so any BFF or deployment can override them.
 */
@NullMarked
package dev.bffgateway.core.config;

import org.jspecify.annotations.NullMarked;
