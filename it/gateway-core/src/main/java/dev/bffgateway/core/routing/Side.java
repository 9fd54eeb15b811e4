package dev.bffgateway.core.routing;

import java.util.Locale;

/** The two systems a strangler route can send a request to. */
public enum Side {

	/** The system being replaced. */
	LEGACY,

	/** The service replacing it. */
	NEW;

	/** @return the value of the {@code X-Strangler-Side} header and of metric tags */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
