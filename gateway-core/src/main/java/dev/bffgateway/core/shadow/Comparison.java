package dev.bffgateway.core.shadow;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import dev.bffgateway.core.routing.Route;
import org.jspecify.annotations.Nullable;

/**
 * Compares the serving side's answer with the shadow side's: the status, the headers the route lists, and the body
 * — JSON semantically (object keys in any order, arrays in order unless the route lists them as unordered, the
 * route's ignored paths left out; the differences found by zjsonpatch's JSON diff, as JSON pointers), any other
 * body byte for byte. Values are kept only where the route opts in. Stateless and thread-safe.
 */
public final class Comparison {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final EnumSet<DiffFlags> FLAGS = EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION,
			DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);

	private Comparison() {
	}

	/**
	 * One answer.
	 * @param status its status code
	 * @param headers its headers, names in any case
	 * @param contentType its content type, or {@code null}
	 * @param body its body
	 */
	public record Answer(int status, Map<String, List<String>> headers, @Nullable String contentType, byte[] body) {
	}

	/**
	 * Where the two answers differ.
	 * @param path {@code status}, {@code header:<name>}, {@code body}, or a JSON pointer into the body
	 * @param served the serving side's value there, when the route shows values
	 * @param shadow the shadow side's value there, when the route shows values
	 */
	public record Difference(String path, @Nullable String served, @Nullable String shadow) {
	}

	/**
	 * @param served the answer the client got
	 * @param shadow the other side's answer
	 * @param settings the route's parallel-run settings
	 * @return where they differ; empty when they match
	 */
	public static List<Difference> differences(Answer served, Answer shadow, Route.Shadow settings) {
		List<Difference> differences = new ArrayList<>();
		boolean values = settings.showValues();
		if (served.status() != shadow.status()) {
			differences.add(new Difference("status", values ? Integer.toString(served.status()) : null,
					values ? Integer.toString(shadow.status()) : null));
		}
		for (String header : settings.headers()) {
			List<String> a = header(served.headers(), header);
			List<String> b = header(shadow.headers(), header);
			if (!a.equals(b)) {
				differences.add(new Difference("header:" + header, values ? String.join(", ", a) : null,
						values ? String.join(", ", b) : null));
			}
		}
		JsonNode a = json(served);
		JsonNode b = json(shadow);
		if (a == null || b == null) {
			if (!java.util.Arrays.equals(served.body(), shadow.body())) {
				differences.add(new Difference("body", null, null));
			}
			return differences;
		}
		for (String pointer : settings.ignore()) {
			remove(a, segments(pointer), 0);
			remove(b, segments(pointer), 0);
		}
		for (String pointer : settings.unorderedArrays()) {
			sort(a, segments(pointer), 0);
			sort(b, segments(pointer), 0);
		}
		for (JsonNode operation : JsonDiff.asJson(a, b, FLAGS)) {
			String path = operation.path("path").asText();
			differences.add(new Difference(path, values ? text(a.at(path)) : null, values ? text(b.at(path)) : null));
		}
		return differences;
	}

	private static List<String> header(Map<String, List<String>> headers, String name) {
		for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return List.of();
	}

	private static @Nullable JsonNode json(Answer answer) {
		String type = answer.contentType();
		if (type == null || answer.body().length == 0) {
			return null;
		}
		String lower = type.toLowerCase(Locale.ROOT);
		if (!lower.startsWith("application/json") && !lower.contains("+json")) {
			return null;
		}
		try {
			return JSON.readTree(answer.body());
		}
		catch (java.io.IOException ex) {
			return null;
		}
	}

	private static @Nullable String text(JsonNode node) {
		return node.isMissingNode() ? null : node.toString();
	}

	private static String[] segments(String pointer) {
		return pointer.substring(1).split("/", -1);
	}

	private static boolean matches(String segment, String name) {
		return segment.equals("*") || segment.replace("~1", "/").replace("~0", "~").equals(name);
	}

	/** Removes what a pointer (with {@code *} segments) names. */
	private static void remove(JsonNode node, String[] segments, int at) {
		boolean last = at == segments.length - 1;
		if (node instanceof ObjectNode object) {
			List<String> names = new ArrayList<>();
			object.fieldNames().forEachRemaining(names::add);
			for (String name : names) {
				if (matches(segments[at], name)) {
					if (last) {
						object.remove(name);
					}
					else {
						remove(object.get(name), segments, at + 1);
					}
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = array.size() - 1; i >= 0; i--) {
				if (matches(segments[at], Integer.toString(i))) {
					if (last) {
						array.remove(i);
					}
					else {
						remove(array.get(i), segments, at + 1);
					}
				}
			}
		}
	}

	/** Puts the elements of the arrays a pointer names in one canonical order, so their order does not count. */
	private static void sort(JsonNode node, String[] segments, int at) {
		if (at == segments.length || (segments.length == 1 && segments[0].isEmpty())) {
			if (node instanceof ArrayNode array) {
				List<JsonNode> elements = new ArrayList<>();
				array.forEach(elements::add);
				elements.sort((x, y) -> x.toString().compareTo(y.toString()));
				array.removeAll();
				elements.forEach(array::add);
			}
			return;
		}
		Iterator<Map.Entry<String, JsonNode>> fields = node.isObject() ? node.fields() : null;
		if (fields != null) {
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				if (matches(segments[at], field.getKey())) {
					sort(field.getValue(), segments, at + 1);
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				if (matches(segments[at], Integer.toString(i))) {
					sort(array.get(i), segments, at + 1);
				}
			}
		}
	}

}
