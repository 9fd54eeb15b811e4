package dev.bffgateway.core.routing;

import dev.bffgateway.core.resilience.NotTheBackendsFault;

import java.io.IOException;

/**
 * Reading a client's request body failed for a reason on the client's side: it went away mid-upload, or sent
 * more than the BFF takes. The strangler proxy answers these itself and never counts them against a route's
 * breaker: a client aborting its own uploads must not open a circuit for every user.
 */
public final class ClientBodyException extends IOException implements NotTheBackendsFault {

	/** What went wrong. */
	public enum Reason {

		/** The client closed or reset the connection while sending its body. */
		ABORTED,

		/** The body is larger than {@code gateway.security.limits.body-size}. */
		TOO_LARGE

	}

	private final Reason reason;

	public ClientBodyException(Reason reason, String message, @org.jspecify.annotations.Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/** @return what went wrong */
	public Reason reason() {
		return this.reason;
	}

}
