/**
 * Promotion and rollback: routes that declare a {@code promotion} policy have their weight moved along its steps at
 * the end of each interval, by the new side's error rate and the parallel run's mismatch rate, counted across the
 * fleet; the weight and its history live in the shared table, so every instance applies the same weight and a
 * restart keeps it. {@link dev.bffgateway.core.promotion.Promotions} is the capability, with the operator's actions
 * (pin, unpin, roll back).
 */
@NullMarked
package dev.bffgateway.core.promotion;

import org.jspecify.annotations.NullMarked;
