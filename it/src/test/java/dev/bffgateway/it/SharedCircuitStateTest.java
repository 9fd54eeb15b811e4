package dev.bffgateway.it;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.bffgateway.core.testing.MovableClock;
import dev.bffgateway.core.circuit.SharedCircuits;
import dev.bffgateway.web.WebBffApplication;
import dev.bffgateway.web.WebBffLambdaHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ten web-bff instances share one DynamoDB table (moto's server mode, behind a relay the test can cut) and one dead
 * dependency (activity, WireMock {@code 500}s). Each instance counts in its own Resilience4j breakers; the verdicts
 * are shared: the first instance to open keeps the other nine off the dead dependency within the refresh interval
 * and a second, a fresh instance starts holding the open circuit, one instance alone probes per open window, a
 * recovery closes all ten, an operator's {@code FORCED_OPEN} in SSM reaches all ten, and the store cut off leaves
 * every instance answering on its own, then resyncs. The breakers' time is one shared {@link MovableClock}, stepped
 * to end an open window; waits for the background refreshers are real, bounded by Awaitility. Once more on the
 * Lambda edge: two handlers, and a fresh sandbox.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCircuitStateTest {

	private static final int FLEET = 10;

	/** The refresh interval (the default) plus a second: how soon every instance must follow a verdict. */
	private static final Duration CONVERGENCE = Duration.ofSeconds(2);

	private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));

	private static final WireMockServer ACTIVITY = Downstreams.ACTIVITY;

	private static final String TABLE = "circuits-" + UUID.randomUUID().toString().substring(0, 8);

	private static TcpRelay store;

	private static DynamoDbClient dynamo;

	private static SsmClient ssm;

	private static final List<ConfigurableApplicationContext> fleet = new ArrayList<>();

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		Clock gatewayClock() {
			return CLOCK;
		}

	}

	@BeforeAll
	static void startFleet() {
		URI moto = URI.create(Moto.ENDPOINT);
		dynamo = DynamoDbClient.builder()
			.endpointOverride(moto)
			.region(Region.US_EAST_1)
			.httpClient(UrlConnectionHttpClient.create())
			.build();
		ssm = SsmClient.builder()
			.endpointOverride(moto)
			.region(Region.US_EAST_1)
			.httpClient(UrlConnectionHttpClient.create())
			.build();
		createTable(TABLE);
		store = new TcpRelay(moto.getPort());
		Downstreams.healthy();
		for (int i = 0; i < FLEET; i++) {
			fleet.add(start("web-bff"));
		}
	}

	@AfterAll
	static void stopFleet() {
		fleet.forEach(ConfigurableApplicationContext::close);
		store.close();
		dynamo.close();
		ssm.close();
		Downstreams.healthy();
	}

	static void createTable(String name) {
		createTable(dynamo, name);
	}

	/** The circuits table as deploy/template.yaml declares it: namespace and circuit keys, TTL on expiresAt. */
	static void createTable(DynamoDbClient dynamo, String name) {
		dynamo.createTable((table) -> table.tableName(name)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(AttributeDefinition.builder().attributeName("namespace").attributeType(ScalarAttributeType.S).build(),
					AttributeDefinition.builder().attributeName("circuit").attributeType(ScalarAttributeType.S).build())
			.keySchema(KeySchemaElement.builder().attributeName("namespace").keyType(KeyType.HASH).build(),
					KeySchemaElement.builder().attributeName("circuit").keyType(KeyType.RANGE).build()));
		dynamo.updateTimeToLive((ttl) -> ttl.tableName(name)
			.timeToLiveSpecification((spec) -> spec.attributeName("expiresAt").enabled(true)));
	}

	/** The settings every instance of the test fleet runs with, for one namespace in the shared table. */
	static Map<String, String> settings(String namespace) {
		Map<String, String> settings = new HashMap<>(Tokens.environment());
		for (String name : Downstreams.NAMES) {
			settings.put("gateway.dependencies.instances." + name + ".base-url", Downstreams.of(name).baseUrl());
		}
		settings.put("gateway.dependencies.defaults.read-timeout", "300ms");
		settings.put("gateway.circuits.shared.table", TABLE);
		settings.put("gateway.circuits.shared.namespace", namespace);
		settings.put("gateway.circuits.shared.endpoint", store.url());
		settings.put("gateway.circuits.shared.region", "us-east-1");
		settings.put("gateway.circuits.shared.overrides.max-age", "1s");
		String breaker = "resilience4j.circuitbreaker.instances.activity.";
		settings.put(breaker + "sliding-window-size", "4");
		settings.put(breaker + "minimum-number-of-calls", "4");
		settings.put(breaker + "wait-duration-in-open-state", "30s");
		settings.put(breaker + "permitted-number-of-calls-in-half-open-state", "1");
		return settings;
	}

	private static ConfigurableApplicationContext start(String namespace) {
		Map<String, String> properties = new HashMap<>(settings(namespace));
		properties.put("server.port", "0");
		properties.put("management.server.port", "0");
		// as arguments, above every file and default, as a deployment's environment would be
		String[] arguments = properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(WebBffApplication.class, Clocks.class).run(arguments);
	}

	@Test
	@Order(1)
	void theFirstInstanceToOpenKeepsTheOtherNineOffTheDeadDependency() {
		dead();
		ConfigurableApplicationContext first = fleet.get(0);
		while (state(first) == State.CLOSED) {
			assertThat(degraded(first)).containsExactly("activity");
		}
		long opened = System.nanoTime();

		await().atMost(CONVERGENCE).until(() -> fleet.stream().allMatch((bff) -> state(bff) == State.FORCED_OPEN));
		System.out.printf("shared circuit state: 10 of 10 instances held the circuit %d ms after the first opened%n",
				(System.nanoTime() - opened) / 1_000_000);

		int before = activityCalls();
		int requests = 0;
		for (ConfigurableApplicationContext bff : fleet.subList(1, FLEET)) {
			for (int i = 0; i < 10; i++) {
				assertThat(degraded(bff)).containsExactly("activity");
				requests++;
			}
		}
		assertThat(activityCalls() - before).as("calls of the nine that reached the dead dependency, of " + requests)
			.isLessThanOrEqualTo(requests / 100);
	}

	@Test
	@Order(2)
	void aFreshInstanceStartedWhileTheCircuitIsOpenNeverCallsTheDeadDependency() {
		int before = activityCalls();
		try (ConfigurableApplicationContext fresh = start("web-bff")) {
			assertThat(state(fresh)).isEqualTo(State.FORCED_OPEN);
			for (int i = 0; i < 10; i++) {
				assertThat(degraded(fresh)).containsExactly("activity");
			}
		}
		assertThat(activityCalls()).isEqualTo(before);
	}

	@Test
	@Order(3)
	void exactlyOneInstanceProbesAnOpenWindowAndItsFailureOpensTheNextForAll() {
		double probes = events("probe");
		int before = activityCalls();

		CLOCK.advance(Duration.ofSeconds(31));
		await().atMost(CONVERGENCE).until(() -> events("probe") == probes + 1);
		ConfigurableApplicationContext holder = onlyOne(State.HALF_OPEN);
		for (ConfigurableApplicationContext bff : fleet) {
			for (int i = 0; i < 3; i++) {
				assertThat(degraded(bff)).containsExactly("activity");
			}
		}

		assertThat(activityCalls() - before).as("one probe call in the whole fleet").isEqualTo(1);
		await().atMost(CONVERGENCE).until(() -> fleet.stream().allMatch((bff) -> state(bff) == State.FORCED_OPEN));
		assertThat(events("probe")).isEqualTo(probes + 1);
		assertThat(events("reopened")).as("the holder opened the next window").isEqualTo(1);
		assertThat(holder.getBean(MeterRegistry.class).get("bff.circuits.verdicts")
			.tags("circuit", "activity", "event", "reopened").counter().count()).isEqualTo(1);
	}

	@Test
	@Order(4)
	void aRecoveredDependencyClosesTheCircuitForAllTen() {
		Downstreams.healthy();
		CLOCK.advance(Duration.ofSeconds(31));
		await().atMost(CONVERGENCE).until(() -> fleet.stream().filter((bff) -> state(bff) == State.HALF_OPEN).count() == 1);
		ConfigurableApplicationContext holder = onlyOne(State.HALF_OPEN);

		assertThat(degraded(holder)).isEmpty();
		long closed = System.nanoTime();
		assertThat(state(holder)).isEqualTo(State.CLOSED);

		await().atMost(CONVERGENCE).until(() -> fleet.stream().allMatch((bff) -> state(bff) == State.CLOSED));
		System.out.printf("shared circuit state: 10 of 10 instances closed %d ms after the probe succeeded%n",
				(System.nanoTime() - closed) / 1_000_000);
		for (ConfigurableApplicationContext bff : fleet) {
			assertThat(degraded(bff)).isEmpty();
		}
	}

	@Test
	@Order(5)
	void anOperatorsForcedOpenInSsmReachesAllTen() {
		String parameter = "/bff/web-bff/circuits/activity";
		ssm.putParameter((put) -> put.name(parameter).value("FORCED_OPEN").type(ParameterType.STRING).overwrite(true));
		try {
			// the overrides' max age (1s here) plus the refresh interval
			await().atMost(CONVERGENCE.plusSeconds(1))
				.until(() -> fleet.stream().allMatch((bff) -> state(bff) == State.FORCED_OPEN));
			int before = activityCalls();
			for (ConfigurableApplicationContext bff : fleet) {
				assertThat(degraded(bff)).containsExactly("activity");
				assertThat(circuits(bff).override("activity").name()).isEqualTo("FORCED_OPEN");
			}
			assertThat(activityCalls()).isEqualTo(before);
		}
		finally {
			ssm.putParameter((put) -> put.name(parameter).value("AUTO").type(ParameterType.STRING).overwrite(true));
		}
		await().atMost(CONVERGENCE.plusSeconds(1)).until(() -> fleet.stream().allMatch((bff) -> state(bff) == State.CLOSED));
	}

	@Test
	@Order(6)
	void withTheStoreCutOffEveryInstanceAnswersAloneAndResyncsWhenItIsBack() {
		List<Long> shared = latencies(200);
		store.cut();
		try {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> fleet.stream().allMatch((bff) -> circuits(bff).mode() == SharedCircuits.Mode.LOCAL_ONLY));
			List<Long> alone = latencies(200);
			long p99Shared = p99(shared);
			long p99Alone = p99(alone);
			System.out.printf("shared circuit state: dashboard p99 %d µs with the store, %d µs with it cut off%n",
					p99Shared / 1000, p99Alone / 1000);
			assertThat(p99Alone).as("no request waits on the store (its timeout is 500 ms)")
				.isLessThan(Duration.ofMillis(250).toNanos());

			dead();
			ConfigurableApplicationContext first = fleet.get(0);
			while (state(first) == State.CLOSED) {
				assertThat(degraded(first)).containsExactly("activity");
			}
			int before = activityCalls();
			assertThat(degraded(fleet.get(1))).as("its own breaker says closed, so it calls").containsExactly("activity");
			assertThat(activityCalls()).isEqualTo(before + 1);
			assertThat(state(fleet.get(1))).isEqualTo(State.CLOSED);
		}
		finally {
			store.restore();
		}
		await().atMost(CONVERGENCE.plusSeconds(3))
			.until(() -> fleet.stream().allMatch((bff) -> circuits(bff).mode() == SharedCircuits.Mode.SHARED
					&& state(bff) == State.FORCED_OPEN));
	}

	@Test
	@Order(7)
	void onTheLambdaEdgeAnOpenCircuitReachesAnotherSandboxAndAFreshOne() {
		dead();
		Map<String, String> environment = new HashMap<>(settings("web-bff-lambda"));
		environment.put("management.server.port", "0");
		WebBffLambdaHandler one = LambdaEdges.start(WebBffLambdaHandler::new, environment);
		WebBffLambdaHandler two = LambdaEdges.start(WebBffLambdaHandler::new, environment);
		LambdaEdge first = new LambdaEdge(one, LambdaEdge.Format.V2);
		LambdaEdge second = new LambdaEdge(two, LambdaEdge.Format.V2);

		for (int i = 0; i < 4; i++) {
			assertThat(lambdaDegraded(first)).containsExactly("activity");
		}
		int opened = activityCalls();
		assertThat(lambdaDegraded(first)).containsExactly("activity");
		assertThat(activityCalls()).as("the first sandbox's own breaker is open").isEqualTo(opened);

		// the second sandbox syncs at the start of an invocation once its verdicts are a refresh interval old
		await().atMost(CONVERGENCE.plusSeconds(1)).untilAsserted(() -> {
			int calls = activityCalls();
			assertThat(lambdaDegraded(second)).containsExactly("activity");
			assertThat(activityCalls()).isEqualTo(calls);
		});

		WebBffLambdaHandler fresh = LambdaEdges.start(WebBffLambdaHandler::new, environment);
		int before = activityCalls();
		for (int i = 0; i < 5; i++) {
			assertThat(lambdaDegraded(new LambdaEdge(fresh, LambdaEdge.Format.V2))).containsExactly("activity");
		}
		assertThat(activityCalls()).as("a fresh sandbox reads the table before its first call").isEqualTo(before);
	}

	private static void dead() {
		ACTIVITY.resetAll();
		ACTIVITY.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
	}

	private static int activityCalls() {
		return ACTIVITY.getAllServeEvents().size();
	}

	private static State state(ConfigurableApplicationContext bff) {
		return bff.getBean(CircuitBreakerRegistry.class).circuitBreaker("activity").getState();
	}

	private static SharedCircuits circuits(ConfigurableApplicationContext bff) {
		return bff.getBean(SharedCircuits.class);
	}

	private static ConfigurableApplicationContext onlyOne(State state) {
		List<ConfigurableApplicationContext> in = fleet.stream().filter((bff) -> state(bff) == state).toList();
		assertThat(in).as("instances in " + state).hasSize(1);
		return in.get(0);
	}

	/** @return the fleet's count of one verdict event on the activity circuit */
	private static double events(String event) {
		return fleet.stream().mapToDouble((bff) -> {
			var counter = bff.getBean(MeterRegistry.class).find("bff.circuits.verdicts")
				.tags("circuit", "activity", "event", event)
				.counter();
			return (counter != null) ? counter.count() : 0;
		}).sum();
	}

	private static List<String> degraded(ConfigurableApplicationContext bff) {
		Bff.Response response = new Bff(port(bff)).get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID));
		assertThat(response.status()).isEqualTo(200);
		List<String> degraded = new ArrayList<>();
		response.json().path("degraded").forEach((part) -> degraded.add(part.asString()));
		return degraded;
	}

	private static List<String> lambdaDegraded(LambdaEdge edge) {
		Edge.Response response = edge.send(Edge.Request.get("/dashboard", "Authorization", Tokens.bearer(Downstreams.USER_ID)));
		assertThat(response.status()).isEqualTo(200);
		List<String> degraded = new ArrayList<>();
		response.json().path("degraded").forEach((part) -> degraded.add(part.asString()));
		return degraded;
	}

	/** @return the latency of each of {@code n} dashboard requests, round-robin over the fleet, in nanoseconds */
	private static List<Long> latencies(int n) {
		return IntStream.range(0, n).mapToObj((i) -> {
			Bff.Response response = new Bff(port(fleet.get(i % FLEET))).get("/dashboard", "Authorization",
					Tokens.bearer(Downstreams.USER_ID));
			assertThat(response.status()).isEqualTo(200);
			return response.elapsed().toNanos();
		}).sorted().toList();
	}

	private static long p99(List<Long> sorted) {
		return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
	}

	private static int port(ConfigurableApplicationContext bff) {
		return Integer.parseInt(bff.getEnvironment().getProperty("local.server.port"));
	}

}
