package dev.bffgateway.core.downstream;

import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.aggregation.DegradationCause;
import org.jspecify.annotations.Nullable;

/**
 * A call to a dependency that produced no usable value, with the reason classified. The message names the
 * dependency, the reason and, for a contract violation, where in the body it is (JSON pointers, never values); it
 * is meant for logs, never for a client.
 */
public class DownstreamCallException extends RuntimeException implements DegradationCause {

	private final String dependency;

	private final Degradation degradation;

	private final String detail;

	public DownstreamCallException(String dependency, Degradation degradation, @Nullable Throwable cause) {
		this(dependency, degradation, "", cause);
	}

	/**
	 * @param detail where the failure is, safe to log (e.g. a contract violation's JSON pointers, never the values
	 * there); empty for none
	 */
	public DownstreamCallException(String dependency, Degradation degradation, String detail,
			@Nullable Throwable cause) {
		super("dependency '" + dependency + "' call failed: " + degradation.tag()
				+ (detail.isEmpty() ? "" : " at " + detail), cause);
		this.dependency = dependency;
		this.degradation = degradation;
		this.detail = detail;
	}

	/** @return the dependency's name */
	public String dependency() {
		return this.dependency;
	}

	@Override
	public Degradation degradation() {
		return this.degradation;
	}

	@Override
	public String detail() {
		return this.detail;
	}

}
