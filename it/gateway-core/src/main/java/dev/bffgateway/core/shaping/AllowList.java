package dev.bffgateway.core.shaping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields a client may receive, as paths: {@code name}, {@code balance.amount}, {@code items[].id}
 * ({@code []} applies the rest of the path to every element of an array). {@link #apply} copies only
 * those fields and fails closed: a field that is not listed never leaves, including fields a dependency adds
 * later. Immutable and thread-safe.
 */
public final class AllowList {

	private final Node root;

	private final List<String> paths;

	private AllowList(List<String> paths) {
		this.paths = List.copyOf(paths);
		this.root = new Node();
		for (String path : paths) {
			Node node = this.root;
			for (String segment : path.split("\\.")) {
				if (segment.isEmpty()) {
					throw new IllegalArgumentException("allow-list path must not have empty segments, but was '" + path + "'");
				}
				node = node.child(segment);
			}
			node.whole = true;
		}
	}

	/**
	 * @param paths the allowed paths; a path names a field and everything under it
	 * @return the allow-list
	 * @throws IllegalArgumentException if a path is malformed
	 */
	public static AllowList of(String... paths) {
		return new AllowList(List.of(paths));
	}

	/** @see #of(String...) */
	public static AllowList of(List<String> paths) {
		return new AllowList(paths);
	}

	/** @return the allowed paths */
	public List<String> paths() {
		return this.paths;
	}

	/**
	 * @param source a payload from a dependency
	 * @return a copy holding only allowed fields; an object with none of them is empty, a scalar where an object
	 * was expected is dropped
	 */
	public JsonNode apply(JsonNode source) {
		JsonNode shaped = copy(source, this.root);
		return (shaped != null) ? shaped : JsonNodeFactory.instance.objectNode();
	}

	private static @Nullable JsonNode copy(JsonNode source, Node allowed) {
		if (allowed.whole) {
			return source.deepCopy();
		}
		if (!source.isObject()) {
			return null;
		}
		ObjectNode target = JsonNodeFactory.instance.objectNode();
		allowed.children.forEach((segment, child) -> {
			boolean array = segment.endsWith("[]");
			String name = array ? segment.substring(0, segment.length() - 2) : segment;
			JsonNode value = source.get(name);
			if (value == null) {
				return;
			}
			if (array) {
				if (!value.isArray()) {
					return;
				}
				ArrayNode items = target.putArray(name);
				for (JsonNode item : value) {
					JsonNode shaped = copy(item, child);
					if (shaped != null) {
						items.add(shaped);
					}
				}
			}
			else {
				JsonNode shaped = copy(value, child);
				if (shaped != null) {
					target.set(name, shaped);
				}
			}
		});
		return target;
	}

	private static final class Node {

		private final Map<String, Node> children = new LinkedHashMap<>();

		private boolean whole;

		Node child(String segment) {
			return this.children.computeIfAbsent(Objects.requireNonNull(segment), (s) -> new Node());
		}

	}

}
