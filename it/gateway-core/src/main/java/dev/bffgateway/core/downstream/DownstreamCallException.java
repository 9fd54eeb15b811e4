package dev.bffgateway.core.downstream;

import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.aggregation.DegradationCause;
import org.jspecify.annotations.Nullable;

/**
 * A call to a dependency that produced no usable value, with the reason classified. The message names the
 * dependency and the reason only; it is meant for logs, never for a client.
 */
public class DownstreamCallException extends RuntimeException implements DegradationCause {

	private final String dependency;

	private final Degradation degradation;

	public DownstreamCallException(String dependency, Degradation degradation, @Nullable Throwable cause) {
		super("dependency '" + dependency + "' call failed: " + degradation.tag(), cause);
		this.dependency = dependency;
		this.degradation = degradation;
	}

	/** @return the dependency's name */
	public String dependency() {
		return this.dependency;
	}

	@Override
	public Degradation degradation() {
		return this.degradation;
	}

}
