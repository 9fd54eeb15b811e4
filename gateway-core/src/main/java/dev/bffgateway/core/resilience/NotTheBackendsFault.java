package dev.bffgateway.core.resilience;

/**
 * A failure that says nothing about the health of the system called: the caller's side failed (its body could
 * not be read, it sent too much) or the BFF's own capacity did (no pooled connection free in time, a full
 * bulkhead). Every breaker ignores a failure that is, or is caused by, one of these: a client aborting its own
 * uploads must not open a circuit for every user.
 */
public interface NotTheBackendsFault {

	/**
	 * @param failure a failed call's exception
	 * @return whether no breaker counts it: it is, or is caused by, a failure that is not the called system's
	 * fault (this type, a pool lease timeout, a full bulkhead, a {@code 4xx} answer)
	 */
	static boolean isCauseOf(Throwable failure) {
		return Failures.ignored(failure);
	}

}
