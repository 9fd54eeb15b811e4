package dev.bffgateway.core.circuit;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** What an operator says of one circuit, fleet-wide, in SSM Parameter Store. */
public enum CircuitOverride {

	/** The breakers and the shared verdicts decide (the default, and what a missing parameter means). */
	AUTO,

	/** Every instance's breaker is held open: no call goes through, whatever the counts say. */
	FORCED_OPEN,

	/** Every instance's breaker lets every call through and counts nothing. */
	DISABLED;

	/**
	 * @param value a parameter's value, e.g. {@code FORCED_OPEN} (case and surrounding blanks ignored)
	 * @return the override it names, or {@code null} when it names none
	 */
	static @Nullable CircuitOverride parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
