package dev.bffgateway.core.aggregation;

/**
 * Implemented by exceptions that know which {@link Degradation} they stand for; a part whose fetch throws
 * one is degraded with that reason, any other exception degrades it as {@link Degradation#ERROR}.
 */
public interface DegradationCause {

	/** @return the reason this failure degrades a part */
	Degradation degradation();

	/**
	 * Where the failure is, when that helps find it and is safe to log: e.g. the JSON pointers of a contract
	 * violation. Never a value, a body or a URL: it goes to the log line of the degraded part.
	 * @return the detail, or an empty string (the default)
	 */
	default String detail() {
		return "";
	}

}
