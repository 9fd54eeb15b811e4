package dev.bffgateway.core.routing;

import java.net.URI;
import java.time.Instant;
import java.util.List;
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
	void unknownKeyInsideARoutesSection() {
		assertRejected(VALID.replace("      header: X-User-Id", "      hedaer: X-User-Id"),
				"routes/web-bff.yml: routes[0].sticky.hedaer is not a known key, but was set to 'X-User-Id'");
		assertRejected(VALID + "dependencies:\n  account:\n    wieght: 3\n",
				"routes/web-bff.yml: dependencies.account.wieght is not a known key, but was set to '3'");
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

	private static final Route ACCOUNT = Route.dependency("account", URI.create("http://legacy.internal/account"),
			URI.create("http://account.internal"), 10);

	private static final Route LEDGER = Route.dependency("ledger", URI.create("http://legacy.internal/ledger"),
			URI.create("http://ledger.internal"), 0);

	private final RouteTableParser strangling = new RouteTableParser(List.of(ACCOUNT, LEDGER),
			Set.of("default", "strict"));

	@Test
	void aTableHoldsEveryStrangledDependencyAsConfiguredWhenTheFileSaysNothing() {
		RouteTable table = this.strangling.parse(FILE, VALID, 1, NOW);

		assertThat(table.dependencies()).containsExactly(ACCOUNT, LEDGER);
		assertThat(table.dependency("account")).isEqualTo(ACCOUNT);
		assertThat(table.dependency("ledger")).isEqualTo(LEDGER);
		assertThat(table.dependency("orders")).isNull();
		assertThat(ACCOUNT.breaker()).isEqualTo(Route.DEFAULT_BREAKER);
		assertThat(ACCOUNT.paths()).isEmpty();
		assertThat(ACCOUNT.sticky()).isEqualTo(StickyKey.NONE);
		assertThat(this.strangling.parse(FILE, "", 1, NOW).dependencies()).containsExactly(ACCOUNT, LEDGER);
		assertThat(this.parser.parse(FILE, VALID, 1, NOW).dependencies()).isEmpty();
	}

	@Test
	void theFileOverridesADependencysWeightAndBreaker() {
		RouteTable table = this.strangling.parse(FILE, VALID + """
				dependencies:
				  account:
				    weight: 20
				    breaker: strict
				  ledger:
				    breaker: strict
				""", 1, NOW);

		assertThat(table.dependencies()).containsExactly(ACCOUNT.with(20, "strict"), LEDGER.with(0, "strict"));
		Route account = table.dependency("account");
		assertThat(account.legacy()).isEqualTo(URI.create("http://legacy.internal/account"));
		assertThat(account.newUri()).isEqualTo(URI.create("http://account.internal"));
	}

	@Test
	void aDependencyEntryWithoutABreakerTakesTheDefault() {
		RouteTable table = this.strangling.parse(FILE, """
				dependencies:
				  account:
				    weight: 100
				""", 1, NOW);

		assertThat(table.dependency("account")).isEqualTo(ACCOUNT.with(100, "default"));
	}

	@Test
	void aDependencyMustBeStrangled() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, "dependencies:\n  payments:\n    weight: 5\n", 1, NOW))
			.withMessage(FILE + ": dependencies.payments must name a strangled dependency [account, ledger] (one with "
					+ "gateway.dependencies.instances.payments.new-base-url), but was 'payments'");
	}

	@Test
	void aDependencysWeightAndBreakerAreValidated() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, "dependencies:\n  account:\n    weight: 101\n", 1, NOW))
			.withMessage(FILE + ": dependencies.account.weight must be 0..100, but was 101");
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, "dependencies:\n  account:\n    weight: -1\n", 1, NOW))
			.withMessage(FILE + ": dependencies.account.weight must be 0..100, but was -1");
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, "dependencies:\n  account:\n    breaker: lenient\n", 1,
					NOW))
			.withMessage(FILE + ": dependencies.account.breaker must name one of resilience4j.circuitbreaker.configs "
					+ "[default, strict], but was 'lenient'");
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, "dependencies:\n  account:\n    wieght: 5\n", 1, NOW))
			.withMessage(FILE + ": dependencies.account.wieght is not a known key, but was set to '5'");
	}

	@Test
	void theWeightBoundsAreInclusive() {
		RouteTable table = this.strangling.parse(FILE, """
				dependencies:
				  account:
				    weight: 0
				  ledger:
				    weight: 100
				""", 1, NOW);

		assertThat(table.dependencies()).extracting(Route::weight).containsExactly(0, 100);
		assertRejected(VALID.replace("weight: 30", "weight: -1"),
				"routes/web-bff.yml: routes[0].weight must be 0..100, but was -1");
	}

	@Test
	void aRouteIdMustNotBeADependencysName() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE, VALID.replace("id: profile", "id: ledger"), 1, NOW))
			.withMessage(FILE + ": routes[2].id must not be a dependency's name (a route's breakers and metrics share "
					+ "one namespace with the dependencies'), but was 'ledger'");
	}

	/** A dependency that is not strangled still owns its name: its breaker is called that, and a route's would be. */
	@Test
	void aRouteIdMustNotBeTheNameOfADependencyThatIsNotStrangled() {
		RouteTableParser parser = new RouteTableParser(List.of(), Set.of("user", "activity"), null, true);

		assertThat(parser.parse(FILE, VALID, 1, NOW).routes()).isNotEmpty();
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> parser.parse(FILE, VALID.replace("id: profile", "id: user"), 1, NOW))
			.withMessage(FILE + ": routes[2].id must not be a dependency's name (a route's breakers and metrics share "
					+ "one namespace with the dependencies'), but was 'user'");
	}

	@Test
	void aRouteNamesItsBreakerConfig() {
		RouteTable table = this.strangling.parse(FILE, VALID.replace("    weight: 30\n", "    weight: 30\n    breaker: strict\n"), 1,
				NOW);

		assertThat(table.routes()).extracting(Route::breaker).containsExactly("strict", "default", "default");
	}

	@Test
	void aRouteMayRetryWhatIsSafeToSendAgainAndRetriesNothingByDefault() {
		RouteTable table = this.parser.parse(FILE,
				VALID.replace("    weight: 100\n", "    weight: 100\n    retry:\n      max-attempts: 3\n"), 1, NOW);

		assertThat(table.routes()).extracting(Route::maxAttempts).containsExactly(1, 3, 1);
	}

	@Test
	void aRoutesAttemptsAreBounded() {
		assertRejected(VALID.replace("    weight: 100\n", "    weight: 100\n    retry:\n      max-attempts: 6\n"),
				FILE + ": routes[1].retry.max-attempts must be 1..5, but was 6");
		assertRejected(VALID.replace("    weight: 100\n", "    weight: 100\n    retry:\n      max-attempts: 0\n"),
				FILE + ": routes[1].retry.max-attempts must be 1..5, but was 0");
		assertRejected(VALID.replace("    weight: 100\n", "    weight: 100\n    retry:\n      attempts: 2\n"),
				FILE + ": routes[1].retry.attempts is not a known key, but was set to '2'");
	}

	@Test
	void aRouteMayStoreItsCriticalWritesWhereTheBffHasAStore() {
		RouteTable table = this.parser.parse(FILE, VALID.replace("    weight: 30\n", "    weight: 30\n    on-unavailable: store\n"),
				1, NOW);

		Route orders = table.routes().get(0);
		assertThat(orders.onUnavailable()).isEqualTo(Route.OnUnavailable.STORE);
		assertThat(orders.stores("POST")).isTrue();
		assertThat(orders.stores("GET")).isFalse();
		assertThat(table.routes().get(1).stores("POST")).as("fail, by default").isFalse();
	}

	@Test
	void storingIsRefusedWithoutAStoreOrWithoutWrites() {
		RouteTableParser storeless = new RouteTableParser(List.of(), Set.of(), null, false);
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> storeless.parse(FILE,
					VALID.replace("    weight: 30\n", "    weight: 30\n    on-unavailable: store\n"), 1, NOW))
			.withMessage(FILE + ": routes[0].on-unavailable is 'store', but this BFF has no request store "
					+ "(gateway.replay.table and gateway.replay.queue-url)");
		assertRejected(VALID.replace("    methods: [get, POST]\n", "    methods: [GET]\n")
			.replace("    weight: 30\n", "    weight: 30\n    on-unavailable: store\n"),
				FILE + ": routes[0].on-unavailable is 'store', which takes writes ([DELETE, PATCH, POST, PUT]), but the "
						+ "route's methods are [GET]");
		assertRejected(VALID.replace("    weight: 30\n", "    weight: 30\n    on-unavailable: queue\n"),
				FILE + ": routes[0].on-unavailable must be 'fail' (the default) or 'store', but was 'queue'");
	}

	@Test
	void aRouteDeclaresItsParallelRunAndItsPromotion() {
		Route orders = this.parser.parse(FILE, VALID.replace("    weight: 30\n", """
				    weight: 30
				    shadow:
				      percent: 10
				      ignore: [/generatedAt, /items/*/id]
				    promotion:
				      steps: [5, 25, 50, 100]
				      interval: 10m
				      min-requests: 200
				      max-error-rate: 2%
				      max-mismatch-rate: 0.001
				"""), 1, NOW).routes().get(0);

		assertThat(orders.shadow()).isEqualTo(new Route.Shadow(10, List.of(), List.of("/generatedAt", "/items/*/id"),
				List.of(), false));
		assertThat(orders.promotion()).isEqualTo(new Route.Promotion(List.of(5, 25, 50, 100),
				java.time.Duration.ofMinutes(10), 200, 0.02, 0.001));
	}

	@Test
	void aBadParallelRunOrPromotionIsNamed() {
		assertRejected(VALID.replace("    weight: 30\n", "    weight: 30\n    shadow:\n      percent: 120\n"),
				FILE + ": routes[0].shadow.percent must be 0..100, but was 120");
		assertRejected(VALID.replace("    weight: 30\n", "    weight: 30\n    shadow:\n      percent: 5\n      ignore: [x]\n"),
				FILE + ": routes[0].shadow.ignore[0] must be a JSON pointer (starting with '/'), but was 'x'");
		assertRejected(VALID.replace("    weight: 30\n", "    weight: 30\n    promotion:\n      steps: [50, 25]\n"),
				FILE + ": routes[0].promotion.steps must be ascending weights 0..100, but was [50, 25]");
		assertRejected(VALID.replace("    weight: 30\n",
				"    weight: 30\n    promotion:\n      steps: [5]\n      max-error-rate: lots\n"),
				FILE + ": routes[0].promotion.max-error-rate must be a rate 0%..100% (or 0..1), but was 'lots'");
		assertRejected(VALID.replace("    weight: 30\n",
				"    weight: 30\n    promotion:\n      steps: [5]\n      interval: soon\n"),
				FILE + ": routes[0].promotion.interval cannot be read as java.time.Duration, but was 'soon'");
	}

	@Test
	void aRoutesBreakerConfigMustBeKnown() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.strangling.parse(FILE,
					VALID.replace("    weight: 100\n", "    weight: 100\n    breaker: lenient\n"), 1, NOW))
			.withMessage(FILE + ": routes[1].breaker must name one of resilience4j.circuitbreaker.configs "
					+ "[default, strict], but was 'lenient'");
	}

	@Test
	void withoutKnownConfigsAnyBreakerNameIsTaken() {
		RouteTable table = this.parser.parse(FILE,
				VALID.replace("    weight: 100\n", "    weight: 100\n    breaker: lenient\n"), 1, NOW);

		assertThat(table.routes().get(1).breaker()).isEqualTo("lenient");
	}

	@Test
	void yamlTheLoaderRefusesWithoutAPosition() {
		assertRejected("routes: " + "[".repeat(60) + "]".repeat(60) + "\n",
				"routes/web-bff.yml: not valid YAML: Nesting Depth exceeded max 50");
	}

	@Test
	void aValueOfTheWrongShapeNamesItsKey() {
		assertRejected("routes:\n  - orders\n", "routes/web-bff.yml: routes[0] cannot be read: "
				+ "org.springframework.core.convert.ConverterNotFoundException: No converter found capable of converting "
				+ "from type [java.lang.String] to type [dev.bffgateway.core.routing.RouteTableParser$RouteSpec]");
	}

	@Test
	void moreThanOneDocument() {
		assertRejected(VALID + "---\nroutes: []\n", "routes/web-bff.yml: must hold one YAML document, but has 2");
	}

	@Test
	void anInvalidPathPatternNamesItsKey() {
		assertThatExceptionOfType(InvalidRouteTableException.class)
			.isThrownBy(() -> this.parser.parse(FILE, VALID.replace("[/profile/**]", "[/profile/**, \"/profile/{id\"]"),
					1, NOW))
			.withMessageStartingWith(FILE + ": routes[2].paths[1] is not a valid path pattern (")
			.withMessageEndingWith("), but was '/profile/{id'");
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
