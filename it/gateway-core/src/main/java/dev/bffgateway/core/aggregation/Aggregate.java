package dev.bffgateway.core.aggregation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one fan-out: for each part, in the order the parts were given, either its value or the
 * reason it is missing. Immutable.
 */
public final class Aggregate {

	private final List<Part<?>> parts;

	private final Map<String, Object> values;

	private final Map<String, Degradation> degradations;

	Aggregate(List<Part<?>> parts, Map<String, Object> values, Map<String, Degradation> degradations) {
		this.parts = List.copyOf(parts);
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
		this.degradations = Collections.unmodifiableMap(new LinkedHashMap<>(degradations));
	}

	/** @return the part's value, or empty when the part was degraded */
	@SuppressWarnings("unchecked")
	public <T> Optional<T> get(Part<T> part) {
		return Optional.ofNullable((T) this.values.get(part.name()));
	}

	/** @return the value of the part with this name, or empty when it was degraded or is unknown */
	public Optional<Object> get(String partName) {
		return Optional.ofNullable(this.values.get(partName));
	}

	/** @return the names of the degraded parts, in part order */
	public List<String> degraded() {
		return List.copyOf(this.degradations.keySet());
	}

	/** @return why each degraded part is missing, in part order */
	public Map<String, Degradation> degradations() {
		return this.degradations;
	}

	/** @return the names of required parts that are missing, in part order */
	public List<String> missingRequired() {
		List<String> missing = new ArrayList<>();
		for (Part<?> part : this.parts) {
			if (part.required() && this.degradations.containsKey(part.name())) {
				missing.add(part.name());
			}
		}
		return missing;
	}

	/** @return {@code true} when every required part is present */
	public boolean usable() {
		return missingRequired().isEmpty();
	}

}
