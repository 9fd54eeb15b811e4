/**
 * The defaults every BFF starts from (virtual threads, problem details, actuator exposure), applied with
 * the lowest precedence so any BFF or deployment can override them, and what the Lambda edge changes, decided
 * in one place: the {@code lambda} profile ({@link dev.bffgateway.core.config.LambdaProfile}).
 */
@NullMarked
package dev.bffgateway.core.config;

import org.jspecify.annotations.NullMarked;
