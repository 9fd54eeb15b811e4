package dev.bffgateway.core.routing;

import java.util.Objects;

/**
 * Where a route finds the key that keeps one client on one side while the weight stands.
 */
public sealed interface StickyKey {

	/** No sticky key: every request is placed on its own. */
	StickyKey NONE = new None();

	/** The key is the value of a request header, e.g. {@code X-User-Id}. */
	record Header(String name) implements StickyKey {

		public Header {
			Objects.requireNonNull(name, "name");
		}

	}

	/** The key is the value of a cookie, e.g. {@code session}. */
	record Cookie(String name) implements StickyKey {

		public Cookie {
			Objects.requireNonNull(name, "name");
		}

	}

	/** No sticky key. */
	record None() implements StickyKey {

	}

}
