package dev.bffgateway.core.aggregation;

import java.util.Locale;

/**
 * Why a part of an aggregate could not be fetched. The names are stable: they appear as metric tags
 * and in logs, never with exception text.
 */
public enum Degradation {

	/** The dependency did not answer within its own connect or read timeout. */
	TIMEOUT,

	/** The dependency's circuit breaker is open: the call was not attempted. */
	BREAKER_OPEN,

	/** The dependency's bulkhead was full: the call was not attempted. */
	BULKHEAD_FULL,

	/** The dependency answered with a non-2xx status. */
	ERROR_STATUS,

	/**
	 * The dependency answered 2xx with a body that could not be read: not JSON, empty, or larger than the
	 * dependency's {@code max-body-size}.
	 */
	UNREADABLE,

	/**
	 * The dependency answered 2xx with JSON that does not match its contract (the dependency's JSON Schema): e.g. an
	 * array where an object was expected, or a required field missing.
	 */
	CONTRACT,

	/** The connection failed: refused, reset, or closed without a response. */
	UNREACHABLE,

	/** The aggregate's overall deadline passed before the part finished. */
	DEADLINE,

	/** Not waited for: a required part had already failed, so the aggregate could not be used anyway. */
	CANCELLED,

	/** Any other failure. */
	ERROR;

	/** @return the lower-case name used as a metric tag value */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
