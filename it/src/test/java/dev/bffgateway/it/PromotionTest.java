package dev.bffgateway.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.bffgateway.core.testing.MovableClock;
import dev.bffgateway.core.promotion.PromotionState;
import dev.bffgateway.core.promotion.Promotions;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.web.WebBffApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promotion and rollback across two web-bff instances sharing one DynamoDB table (moto): the routes' intervals end
 * when the test steps the shared {@link MovableClock}, never by sleeping; the instances count, one decides, both
 * apply. A healthy new side climbs 5 → 25 → 50 → 100 in three intervals; at 50 an error spike sends it back to 25, and
 * so does a mismatch spike alone; a pinned route never moves; the two instances agree on every step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromotionTest {

	private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));

	private static final Duration INTERVAL = Duration.ofMinutes(5);

	private static final WireMockServer LEGACY = Downstreams.start();

	private static final WireMockServer NEW = Downstreams.start();

	private static final String TABLE = "promotions-" + UUID.randomUUID().toString().substring(0, 8);

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();


	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		Clock gatewayClock() {
			return CLOCK;
		}

	}

	@BeforeAll
	static void startFleet() {
		try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(Moto.ENDPOINT))
			.region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create()).build()) {
			SharedCircuitStateTest.createTable(dynamo, TABLE);
		}
		healthy();
		Path routes = Strangled.routesFile("web-bff.yml", """
				routes:
				  - id: catalog
				    paths: [/catalog/**]
				    legacy-uri: %1$s
				    new-uri: %2$s
				    weight: 5
				    auth: none
				    shadow:
				      percent: 100
				    promotion:
				      steps: [5, 25, 50, 100]
				      interval: 5m
				      min-requests: 20
				      max-error-rate: 1%%
				      max-mismatch-rate: 0.5%%
				  - id: basket
				    paths: [/basket/**]
				    legacy-uri: %1$s
				    new-uri: %2$s
				    weight: 50
				    auth: none
				    shadow:
				      percent: 100
				    promotion:
				      steps: [5, 25, 50, 100]
				      interval: 5m
				      min-requests: 20
				      max-error-rate: 1%%
				      max-mismatch-rate: 0.5%%
				""".formatted(LEGACY.baseUrl(), NEW.baseUrl()));
		routesFile = routes;
		for (int i = 0; i < 2; i++) {
			instances.add(startInstance());
		}
	}

	private static Path routesFile;

	/** One web-bff instance of the fleet: the shared table, the shared clock, the routes file. */
	private static ConfigurableApplicationContext startInstance() {
		Map<String, String> settings = new HashMap<>(Tokens.environment());
		for (String name : Downstreams.NAMES) {
			settings.put("gateway.dependencies.instances." + name + ".base-url", Downstreams.of(name).baseUrl());
		}
		settings.put("server.port", "0");
		settings.put("management.server.port", "0");
		settings.put("gateway.routes.file", routesFile.toString());
		settings.put("gateway.circuits.shared.table", TABLE);
		settings.put("gateway.circuits.shared.endpoint", Moto.ENDPOINT);
		settings.put("gateway.circuits.shared.region", "us-east-1");
		String[] arguments = settings.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(WebBffApplication.class, Clocks.class).run(arguments);
	}

	@AfterAll
	static void stop() {
		instances.forEach(ConfigurableApplicationContext::close);
	}

	private static void healthy() {
		for (WireMockServer side : new WireMockServer[] { LEGACY, NEW }) {
			side.resetAll();
			side.stubFor(any(anyUrl()).willReturn(okJson("{\"items\":[1,2,3]}")));
		}
	}

	/** The interval has the new-side requests a promotion needs (min-requests 20), all compared. */
	private static final Predicate<PromotionState> ENOUGH = (state) -> state.requests() >= 20 && state.comparisons() > 0;

	@Test
	@Order(1)
	void aHealthyNewSideClimbsEveryStepInThreeIntervalsAndBothInstancesAgree() {
		assertThat(weights("catalog")).containsExactly(5, 5);
		for (int next : new int[] { 25, 50, 100 }) {
			intervalOfTraffic("catalog", 600, ENOUGH);
			assertThat(weights("catalog")).containsExactly(next, next);
		}
		PromotionState state = promotions(0).state("catalog");
		assertThat(state.history()).extracting((d) -> d.kind() + " " + d.from() + "->" + d.to())
			.containsSubsequence("promote 50->100", "promote 25->50", "promote 5->25");
	}

	@Test
	@Order(2)
	void anErrorSpikeAtFiftySendsItBackToTwentyFiveWithinOneInterval() {
		assertThat(weights("basket")).containsExactly(50, 50);
		NEW.resetAll();
		NEW.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));

		intervalOfTraffic("basket", 200, (state) -> state.errors() > 0);

		assertThat(weights("basket")).containsExactly(25, 25);
		assertThat(promotions(1).state("basket").history().get(0).kind()).isEqualTo("rollback");
		assertThat(promotions(1).state("basket").history().get(0).errorRate()).isGreaterThan(0.01);
	}

	@Test
	@Order(3)
	void aMismatchSpikeAloneSendsItBackToo() {
		healthy();
		intervalOfTraffic("basket", 200, ENOUGH);
		assertThat(weights("basket")).as("held for the interval after a rollback").containsExactly(25, 25);
		intervalOfTraffic("basket", 200, ENOUGH);
		assertThat(weights("basket")).containsExactly(50, 50);

		NEW.resetAll();
		NEW.stubFor(any(anyUrl()).willReturn(okJson("{\"items\":[1,2,4]}")));
		intervalOfTraffic("basket", 200, (state) -> state.mismatches() > 0 && state.requests() >= 20);

		assertThat(weights("basket")).containsExactly(25, 25);
		var decision = promotions(0).state("basket").history().get(0);
		assertThat(decision.kind()).isEqualTo("rollback");
		assertThat(decision.errorRate()).isZero();
		assertThat(decision.mismatchRate()).isGreaterThan(0.005);
	}

	@Test
	@Order(4)
	void aPinnedRouteNeverMoves() {
		healthy();
		promotions(0).act("basket", Promotions.Action.PIN, "ops@example.com");

		for (int i = 0; i < 3; i++) {
			intervalOfTraffic("basket", 200, ENOUGH);
			assertThat(weights("basket")).containsExactly(25, 25);
		}
		assertThat(promotions(1).state("basket").history()).extracting((d) -> d.kind() + " by " + d.by())
			.contains("pin by ops@example.com");
	}

	@Test
	@Order(5)
	void anInstanceStartedLaterServesThePromotedWeightsFromItsFirstRequest() {
		ConfigurableApplicationContext restarted = startInstance();
		try {
			assertThat(weight(restarted, "catalog")).as("promoted to 100 by the fleet, declared 5").isEqualTo(100);
			assertThat(weight(restarted, "basket")).as("rolled back and pinned at 25, declared 50").isEqualTo(25);
			Bff.Response view = new Bff(Integer.parseInt(restarted.getEnvironment().getProperty("local.management.port")))
				.get("/actuator/promotion");
			assertThat(view.status()).isEqualTo(200);
			assertThat(view.json().at("/routes/basket/state/pinned").asBoolean()).isTrue();
			assertThat(view.json().at("/routes/basket/state/history/0/kind").asString()).isEqualTo("pinned");
			assertThat(view.json().at("/advisory").asBoolean()).isFalse();
		}
		finally {
			restarted.close();
		}
	}

	/**
	 * Sends reads to both instances, waits until the interval's shared counts show what the test is about (each
	 * instance adds its counts every second; the shadow calls end after their answers), then ends the interval.
	 */
	private static void intervalOfTraffic(String route, int requests, Predicate<PromotionState> counted) {
		long decisions = decisions(route);
		send(route, requests);
		// more traffic while waiting: a new side held open by the fleet's breaker verdict takes none until its probe
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			PromotionState state = promotions(0).state(route);
			if (state != null && counted.test(state)) {
				return true;
			}
			send(route, 20);
			return false;
		});
		CLOCK.advance(INTERVAL.plusSeconds(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> decisions(route) > decisions
				&& weights(route).get(0).equals(weights(route).get(1))
				&& weights(route).get(0) == promotions(0).state(route).weight());
	}

	private static void send(String route, int requests) {
		for (int i = 0; i < requests; i++) {
			// during a spike the new side's 500s reach its clients: that is what promotion reacts to
			new Bff(port(instances.get(i % 2))).get("/" + route + "/items");
		}
	}

	private static long decisions(String route) {
		PromotionState state = promotions(0).state(route);
		return (state != null) ? state.version() : 0;
	}

	private static List<Integer> weights(String route) {
		return instances.stream().map((i) -> weight(i, route)).toList();
	}

	private static int weight(ConfigurableApplicationContext instance, String route) {
		return instance.getBean(RouteTables.class).current().routes().stream()
			.filter((r) -> r.id().equals(route)).findFirst().orElseThrow().weight();
	}

	private static Promotions promotions(int instance) {
		return instances.get(instance).getBean(Promotions.class);
	}

	private static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
	}

}
