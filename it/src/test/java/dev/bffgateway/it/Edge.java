package dev.bffgateway.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One way into a BFF: the container's HTTP port, or the Lambda handler fed API Gateway events. The parity
 * suite sends the same {@link Request} through every edge and expects the same {@link Response}.
 */
interface Edge {

	String name();

	Response send(Request request);

	/**
	 * @param method HTTP method
	 * @param path the path, without query
	 * @param query the raw query string, without {@code ?}, or empty
	 * @param headers header names to values
	 * @param body the body, or {@code null}
	 */
	record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {

		static Request get(String path, String... headers) {
			Map<String, List<String>> map = new LinkedHashMap<>();
			for (int i = 0; i < headers.length; i += 2) {
				map.computeIfAbsent(headers[i], (k) -> new ArrayList<>()).add(headers[i + 1]);
			}
			return new Request("GET", path, "", map, null);
		}

		Request withMethod(String method) {
			return new Request(method, this.path, this.query, this.headers, this.body);
		}

	}

	/**
	 * @param status the status code
	 * @param headers header names (lower case) to values joined with {@code ,}
	 * @param body the body as text
	 */
	record Response(int status, Map<String, String> headers, String body) {

		static Response of(int status, Map<String, List<String>> headers, String body) {
			Map<String, String> folded = new LinkedHashMap<>();
			headers.forEach((name, values) -> folded.merge(name.toLowerCase(Locale.ROOT), String.join(",", values),
					(a, b) -> a + "," + b));
			return new Response(status, folded, body);
		}

		String contentType() {
			return this.headers.getOrDefault("content-type", "");
		}

		JsonNode json() {
			return Bff.JSON.readTree(this.body);
		}

	}

}
