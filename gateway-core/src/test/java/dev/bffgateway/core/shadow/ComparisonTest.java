package dev.bffgateway.core.shadow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.routing.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTest {

	private static final Route.Shadow PLAIN = new Route.Shadow(100, List.of(), List.of(), List.of(), false);

	private static Comparison.Answer json(String body) {
		return new Comparison.Answer(200, Map.of("Content-Type", List.of("application/json")), "application/json",
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static List<String> paths(Comparison.Answer a, Comparison.Answer b, Route.Shadow settings) {
		return Comparison.differences(a, b, settings).stream().map(Comparison.Difference::path).toList();
	}

	@Test
	void objectKeysInAnotherOrderMatch() {
		assertThat(paths(json("{\"a\":1,\"b\":{\"c\":[1,2]}}"), json("{\"b\":{\"c\":[1,2]},\"a\":1}"), PLAIN)).isEmpty();
	}

	@Test
	void aDifferentValueIsNamedByItsJsonPointerAndItsValueShownOnlyOnOptIn() {
		Comparison.Answer served = json("{\"user\":{\"name\":\"Ada\",\"tier\":\"gold\"}}");
		Comparison.Answer shadow = json("{\"user\":{\"name\":\"Ada\",\"tier\":\"silver\"}}");

		assertThat(Comparison.differences(served, shadow, PLAIN))
			.containsExactly(new Comparison.Difference("/user/tier", null, null));
		assertThat(Comparison.differences(served, shadow, new Route.Shadow(100, List.of(), List.of(), List.of(), true)))
			.containsExactly(new Comparison.Difference("/user/tier", "\"gold\"", "\"silver\""));
	}

	@Test
	void ignoredPathsWithWildcardsAreLeftOut() {
		Route.Shadow ignoring = new Route.Shadow(100, List.of(), List.of("/generatedAt", "/items/*/id"), List.of(), false);

		assertThat(paths(json("{\"generatedAt\":1,\"items\":[{\"id\":1,\"n\":\"a\"},{\"id\":2,\"n\":\"b\"}]}"),
				json("{\"generatedAt\":2,\"items\":[{\"id\":7,\"n\":\"a\"},{\"id\":8,\"n\":\"c\"}]}"), ignoring))
			.containsExactly("/items/1/n");
	}

	@Test
	void arraysCountTheirOrderUnlessListedAsUnordered() {
		Comparison.Answer served = json("{\"tags\":[\"a\",\"b\",\"c\"]}");
		Comparison.Answer shadow = json("{\"tags\":[\"c\",\"a\",\"b\"]}");

		assertThat(paths(served, shadow, PLAIN)).isNotEmpty();
		assertThat(paths(served, shadow, new Route.Shadow(100, List.of(), List.of(), List.of("/tags"), false))).isEmpty();
	}

	@Test
	void theStatusAndTheListedHeadersCount() {
		Comparison.Answer served = new Comparison.Answer(200, Map.of("cache-control", List.of("no-store"),
				"x-other", List.of("1")), "text/plain", "x".getBytes(StandardCharsets.UTF_8));
		Comparison.Answer shadow = new Comparison.Answer(404, Map.of("Cache-Control", List.of("max-age=60"),
				"x-other", List.of("2")), "text/plain", "x".getBytes(StandardCharsets.UTF_8));

		assertThat(paths(served, shadow, new Route.Shadow(100, List.of("Cache-Control"), List.of(), List.of(), false)))
			.containsExactly("status", "header:Cache-Control");
	}

	@Test
	void bodiesThatAreNotJsonAreComparedByteForByte() {
		Comparison.Answer a = new Comparison.Answer(200, Map.of(), "text/plain", "one".getBytes(StandardCharsets.UTF_8));
		Comparison.Answer b = new Comparison.Answer(200, Map.of(), "text/plain", "two".getBytes(StandardCharsets.UTF_8));

		assertThat(paths(a, b, PLAIN)).containsExactly("body");
		assertThat(paths(a, a, PLAIN)).isEmpty();
		assertThat(paths(json("{\"a\":1}"), json("not json"), PLAIN)).containsExactly("body");
	}

}
