package dev.bffgateway.core.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.env.Environment;

/**
 * Which port a request came in on, when the management server has a port of its own: read from the environment
 * once both servers have started ({@code local.management.port}, {@code local.server.port}), then a comparison of
 * two ints per request. Before that, and where the management server shares the public port, nothing is known:
 * callers fall back to their full matchers. Measured (bench/proxy.sh with JFR): looking the ports up in the
 * environment per request, and Boot's endpoint matcher probing the class path for the server's namespace per
 * request, cost about 4 % of the proxy's CPU.
 */
final class ManagementPort {

	private static final int UNKNOWN = -1;

	/** No management port of its own: it shares the public one. */
	private static final int SHARED = 0;

	private final Environment environment;

	private volatile int port = UNKNOWN;

	ManagementPort(Environment environment) {
		this.environment = environment;
	}

	/** @return whether the request surely came in on the public port (false where that is not known) */
	boolean isPublic(HttpServletRequest request) {
		int management = port();
		return management > SHARED && request.getLocalPort() != management;
	}

	/** @return whether the request came in on the management server's own port */
	boolean isManagement(HttpServletRequest request) {
		int management = port();
		return management > SHARED && request.getLocalPort() == management;
	}

	private int port() {
		int known = this.port;
		if (known != UNKNOWN) {
			return known;
		}
		String management = this.environment.getProperty("local.management.port");
		String server = this.environment.getProperty("local.server.port");
		if (management == null || server == null) {
			return UNKNOWN; // not both started yet: asked again next time
		}
		known = management.equals(server) ? SHARED : Integer.parseInt(management);
		this.port = known;
		return known;
	}

}
