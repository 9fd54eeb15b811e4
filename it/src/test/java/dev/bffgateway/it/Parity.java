package dev.bffgateway.it;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends one request through several edges and checks they all answer alike. */
final class Parity {

	private static final List<String> KEY_HEADERS = List.of("allow", "x-strangler-side", "www-authenticate");

	private Parity() {
	}

	/**
	 * @return the first edge's answer, after checking every other edge gave the same status, content type,
	 * key headers ({@code Allow}, {@code X-Strangler-Side}, {@code WWW-Authenticate}) and body (trace ids aside)
	 */
	static Edge.Response sameOnEveryEdge(List<Edge> edges, Edge.Request request) {
		List<Edge.Response> responses = new ArrayList<>();
		for (Edge edge : edges) {
			responses.add(edge.send(request));
		}
		Edge.Response reference = responses.get(0);
		for (int i = 1; i < responses.size(); i++) {
			Edge.Response other = responses.get(i);
			String edge = edges.get(i).name();
			assertThat(other.status()).as(edge + " status").isEqualTo(reference.status());
			assertThat(other.contentType()).as(edge + " content type").isEqualTo(reference.contentType());
			for (String header : KEY_HEADERS) {
				assertThat(other.headers().get(header)).as(edge + " " + header)
					.isEqualTo(reference.headers().get(header));
			}
			assertThat(comparable(other)).as(edge + " body").isEqualTo(comparable(reference));
		}
		return reference;
	}

	private static JsonNode comparable(Edge.Response response) {
		JsonNode body = response.json();
		if (body instanceof ObjectNode object) {
			object.remove("traceId");
		}
		return body;
	}

}
