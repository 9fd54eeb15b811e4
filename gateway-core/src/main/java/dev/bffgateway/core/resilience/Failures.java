package dev.bffgateway.core.resilience;

import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.web.client.HttpClientErrorException;

/**
 * What every breaker ignores, whatever its configuration says: failures that are not the called system's
 * fault (see {@link NotTheBackendsFault}), a pool lease timeout, a full bulkhead, and a {@code 4xx} answer
 * (the caller's problem, not the system's health). An ignored call counts neither as a success nor as a
 * failure.
 */
final class Failures {

	static final Predicate<Throwable> IGNORED = Failures::ignored;

	private Failures() {
	}

	static boolean ignored(@Nullable Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof NotTheBackendsFault || t instanceof ConnectionRequestTimeoutException
					|| t instanceof BulkheadFullException || t instanceof HttpClientErrorException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

}
