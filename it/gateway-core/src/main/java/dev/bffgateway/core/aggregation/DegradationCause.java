package dev.bffgateway.core.aggregation;

/**
 * Implemented by exceptions that know which {@link Degradation} they stand for; a part whose fetch throws
 * one is degraded with that reason, any other exception degrades it as {@link Degradation#ERROR}.
 */
public interface DegradationCause {

	/** @return the reason this failure degrades a part */
	Degradation degradation();

}
