package dev.bffgateway.core.aggregation;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One named piece of an aggregate and how to fetch it.
 *
 * @param name the part's name, unique within one fan-out; it names the part in {@code degraded}
 * @param required whether the aggregate is unusable without this part
 * @param fetch the call that produces the part's value; it runs on its own (virtual) thread
 * @param <T> the part's value type
 */
public record Part<T>(String name, boolean required, Callable<? extends T> fetch) {

	public Part {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(fetch, "fetch");
		if (name.isBlank()) {
			throw new IllegalArgumentException("part name must not be blank");
		}
	}

	/** A part without which the aggregate is unusable. */
	public static <T> Part<T> required(String name, Callable<? extends T> fetch) {
		return new Part<>(name, true, fetch);
	}

	/** A part the aggregate can do without. */
	public static <T> Part<T> optional(String name, Callable<? extends T> fetch) {
		return new Part<>(name, false, fetch);
	}

}
