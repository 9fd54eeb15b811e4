package dev.bffgateway.core.routing;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RouteTableParserTest {

	private static final String FILE = "routes/web-bff.yml";

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private final RouteTableParser parser = new RouteTableParser();

	private static final String VALID = """
			routes:
			  - id: orders
			    paths: [/orders, /orders/**]
			    methods: [get, POST]
			    legacy-uri: http://legacy.internal:8080
			    new-uri: http://orders.internal:8080/api
			    weight: 30
			    sticky:
			      header: X-User-Id
			  - id: order-invoice
			    paths: ["/orders/{id}/invoice"]
			    legacy-uri: http://legacy.internal:8080
			    new-uri: https://billing.internal
			    weight: 100
			  - id: profile
			    paths: [/profile/**]
			    legacy-uri: http://legacy.internal:8080
			    new-uri: http://profile.internal
			    weight: 0
			    sticky:
			      cookie: session
			""";

	@Test
	void readsAValidTable() {
		RouteTable table = this.parser.parse(FILE, VALID, 7, NOW);

		assertThat(table.version()).isEqualTo(7);
		assertThat(table.routes()).extracting(Route::id).containsExactly("orders", "order-invoice", "profile");
		Route orders = table.routes().get(0);
		assertThat(orders.methods()).isEqualTo(Set.of("GET", "POST"));
		assertThat(orders.newUri()).isEqualTo(URI.create("http://orders.internal:8080/api"));
		assertThat(orders.weight()).isEqualTo(30);
		assertThat(orders.sticky()).isEqualTo(new StickyKey.Header("X-User-Id"));
		assertThat(table.routes().get(1).methods()).isEmpty();
		assertThat(table.routes().get(1).sticky()).isEqualTo(StickyKey.NONE);
		assertThat(table.routes().get(2).sticky()).isEqualTo(new StickyKey.Cookie("session"));
	}

	@Test
	void matchesTheMostSpecificRouteForTheMethod() {
		RouteTable table = this.parser.parse(FILE, VALID, 1, NOW);

		assertThat(table.match("GET", "/orders/42/invoice")).map(Route::id).contains("order-invoice");
		assertThat(table.match("GET", "/orders/42")).map(Route::id).contains("orders");
		assertThat(table.match("GET", "/orders")).map(Route::id).contains("orders");
		assertThat(table.match("DELETE", "/orders/42")).isEmpty();
		assertThat(table.match("GET", "/dashboard")).isEmpty();
		assertThat(table.match("PATCH", "/profile/me/avatar")).map(Route::id).contains("profile");
	}

	@Test
	void anEmptyFileIsAnEmptyTable() {
		assertThat(this.parser.parse(FILE, "", 1, NOW).routes()).isEmpty();
		assertThat(this.parser.parse(FILE, "routes: []\n", 1, NOW).routes()).isEmpty();
	}

	@Test
	void weightOutOfRange() {
		assertRejected(VALID.replace("weight: 30", "weight: 140"),
				"routes/web-bff.yml: routes[0].weight must be 0..100, but was 140");
	}

	@Test
	void unknownKey() {
		assertRejected(VALID.replace("weight: 30", "wieght: 30"),
				"routes/web-bff.yml: routes[0].wieght is not a known key, but was set to '30'");
	}

	@Test
	void unreadableValue() {
		assertRejected(VALID.replace("weight: 30", "weight: thirty"),
				"routes/web-bff.yml: routes[0].weight cannot be read as java.lang.Integer, but was 'thirty'");
	}

	@Test
	void badUri() {
		assertRejected(VALID.replace("http://orders.internal:8080/api", "orders.internal:8080"),
				"routes/web-bff.yml: routes[0].new-uri must be an absolute http(s) URL, but was 'orders.internal:8080'");
		assertRejected(VALID.replace("https://billing.internal", "http://bad host"),
				"routes/web-bff.yml: routes[1].new-uri must be an absolute http(s) URL, but was 'http://bad host'");
	}

	@Test
	void duplicateId() {
		assertRejected(VALID.replace("id: profile", "id: orders"),
				"routes/web-bff.yml: routes[2].id must be unique, but 'orders' repeats");
	}

	@Test
	void ambiguousOverlappingPatterns() {
		String ambiguous = VALID.replace("paths: [/profile/**]", "paths: [\"/orders/{ref}/invoice\"]");
		assertRejected(ambiguous, "routes/web-bff.yml: routes 'order-invoice' and 'profile' are ambiguous: paths "
				+ "'/orders/{id}/invoice' and '/orders/{ref}/invoice' take the same requests with equal specificity");
	}

	@Test
	void samePatternsWithDisjointMethodsAreNotAmbiguous() {
		String split = VALID.replace("paths: [/profile/**]", "paths: [/orders, /orders/**]\n    methods: [DELETE]");

		assertThat(this.parser.parse(FILE, split, 1, NOW).match("DELETE", "/orders/9")).map(Route::id)
			.contains("profile");
	}

	@Test
	void yamlSyntaxError() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.parser.parse(FILE, "routes:\n  - id: [unclosed\n", 1, NOW))
			.withMessageStartingWith("routes/web-bff.yml: not valid YAML at line 3, column 1: expected ',' or ']'");
	}

	@Test
	void missingFieldsAndBadValues() {
		assertRejected(VALID.replace("    weight: 30\n", ""),
				"routes/web-bff.yml: routes[0].weight must be set (0..100), but was missing");
		assertRejected(VALID.replace("methods: [get, POST]", "methods: [GET, FETCH]"),
				"routes/web-bff.yml: routes[0].methods[1] must be one of [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT], but was 'FETCH'");
		assertRejected(VALID.replace("paths: [/orders, /orders/**]", "paths: [orders]"),
				"routes/web-bff.yml: routes[0].paths[0] must start with '/', but was 'orders'");
		assertRejected(VALID.replace("      cookie: session", "      cookie: session\n      header: X-User-Id"),
				"routes/web-bff.yml: routes[2].sticky must name a header or a cookie, not both, but was header "
						+ "'X-User-Id' and cookie 'session'");
	}

	private void assertRejected(String yaml, String message) {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.parser.parse(FILE, yaml, 1, NOW))
			.withMessage(message);
	}

	@Test
	void aRouteIsForIdentifiedCallersUnlessDeclaredPublicAndShapedUnlessDeclaredPassthrough() {
		RouteTable table = this.parser.parse(FILE, VALID + """
				  - id: prices
				    paths: [/prices/**]
				    legacy-uri: http://legacy.internal:8080
				    new-uri: http://prices.internal
				    weight: 0
				    auth: none
				    scopes: [prices:read]
				    shape: passthrough
				""", 1, NOW);

		Route orders = table.routes().get(0);
		assertThat(orders.auth()).isEqualTo(Route.Auth.USER);
		assertThat(orders.scopes()).isEmpty();
		assertThat(orders.shape()).isEqualTo(Route.Shape.ALLOW_LIST);
		Route prices = table.routes().get(3);
		assertThat(prices.auth()).isEqualTo(Route.Auth.NONE);
		assertThat(prices.scopes()).containsExactly("prices:read");
		assertThat(prices.shape()).isEqualTo(Route.Shape.PASSTHROUGH);
	}

	@Test
	void anUnknownAuthOrShapeIsRejectedWithFileKeyAndValue() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.parser.parse(FILE, VALID.replace("weight: 30", "weight: 30\n    auth: anonymous"), 1, NOW))
			.withMessage(FILE + ": routes[0].auth must be 'user' (the default) or 'none', but was 'anonymous'");
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.parser.parse(FILE, VALID.replace("weight: 30", "weight: 30\n    shape: raw"), 1, NOW))
			.withMessage(FILE + ": routes[0].shape must be 'allow-list' (the default) or 'passthrough', but was 'raw'");
	}

	@Test
	void aRouteMayNotClaimTheBffsOwnPaths() {
		for (String[] claim : new String[][] { { "/dashboard", "/dashboard" }, { "/dash*", "/dashboard" },
				{ "/actuator/**", "/actuator" }, { "/actuator", "/actuator" }, { "/v3/**", "/v3/api-docs" },
				{ "/v3/api-docs/**", "/v3/api-docs" } }) {
			assertThatExceptionOfType(InvalidRouteTableException.class)
				.isThrownBy(() -> this.parser.parse(FILE, VALID.replace("[/profile/**]", "[/profile/**, \"" + claim[0] + "\"]"), 1, NOW))
				.withMessage(FILE + ": routes[2].paths[1] must not claim the BFF's own path " + claim[1] + ", but was '"
						+ claim[0] + "'");
		}
	}

	@Test
	void aCatchAllOrALookAlikeIsNotAClaim() {
		for (String path : new String[] { "/**", "/{service}/**", "/dashboards/**", "/v3/orders/**", "/actuators" }) {
			RouteTable table = this.parser.parse(FILE, VALID.replace("[/profile/**]", "[\"" + path + "\"]"), 1, NOW);

			assertThat(table.routes().get(2).paths()).containsExactly(path);
		}
		assertThat(ReservedPaths.isReserved("/dashboard")).isTrue();
		assertThat(ReservedPaths.isReserved("/actuator/health")).isTrue();
		assertThat(ReservedPaths.isReserved("/v3/api-docs")).isTrue();
		assertThat(ReservedPaths.isReserved("/dashboards")).isFalse();
		assertThat(ReservedPaths.isReserved("/orders/dashboard")).isFalse();
	}

}
