package dev.bffgateway.it;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.web.WebBffApplication;
import dev.bffgateway.web.WebBffLambdaHandler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * web-bff's route table in SSM Parameter Store (moto's server mode; a SecureString, read with decryption), read by a
 * container BFF and by a Lambda edge alike instead of a file: a weight put with {@code put-parameter} applies on both
 * without a restart or a deployment (the container polls the parameter every max age, the Lambda edge reads it at the
 * start of an invocation that finds its table older); a table put with a weight out of range is rejected on both,
 * which keep serving the last good one, and {@code /actuator/strangler} names the parameter, the key and the value.
 * The route under test is {@code orders} of {@link Strangled#table}: weight 0 sends every user to legacy, 100 every
 * user to new; both sides answer with their name.
 */
class RoutesFromSsmTest {

	private static final String PARAMETER = "/bff-it/web-bff/routes-" + System.nanoTime();

	/** The max age here: short, so a change applies within the test's patience. The default is 5s. */
	private static final Duration MAX_AGE = Duration.ofMillis(500);

	/** The max age, a read and a poll of the test's own, with room for a slow machine. */
	private static final Duration PATIENCE = Duration.ofSeconds(5);

	private static final List<String> USERS = IntStream.range(0, 20).mapToObj((i) -> "user-" + i).toList();

	private static SsmClient ssm;

	private static ConfigurableApplicationContext container;

	private static WebBffLambdaHandler lambda;

	/** The Lambda edge's application, caught as it starts ({@link LambdaContext}), to read its table's reloads. */
	private static @Nullable ConfigurableApplicationContext lambdaContext;

	/** Catches the Lambda edge's application context: a bean of it, added by {@code spring.main.sources}. */
	static final class LambdaContext implements ApplicationContextAware {

		@Override
		public void setApplicationContext(ApplicationContext context) {
			lambdaContext = (ConfigurableApplicationContext) context;
		}

	}

	@BeforeAll
	static void start() {
		ssm = SsmClient.builder()
			.endpointOverride(URI.create(Moto.ENDPOINT))
			.region(Region.US_EAST_1)
			.httpClient(UrlConnectionHttpClient.create())
			.build();
		put(Strangled.table(0));
		Strangled.healthy();
		Map<String, String> settings = Map.of("gateway.routes.ssm.parameter", PARAMETER, "gateway.routes.ssm.endpoint",
				Moto.ENDPOINT, "gateway.routes.ssm.region", "us-east-1", "gateway.routes.ssm.max-age",
				MAX_AGE.toMillis() + "ms");

		Map<String, String> containerSettings = new HashMap<>(LambdaEdges.downstreams());
		containerSettings.putAll(settings);
		containerSettings.put("server.port", "0");
		// as arguments, above every file and default, as a deployment's environment would be
		container = new SpringApplicationBuilder(WebBffApplication.class).run(containerSettings.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new));

		// the Lambda edge's environment names no routes file: it would read the one packaged with web-bff
		Map<String, String> environment = new HashMap<>(LambdaEdges.downstreams());
		environment.putAll(settings);
		environment.put("spring.main.sources", LambdaContext.class.getName());
		lambda = LambdaEdges.start(WebBffLambdaHandler::new, environment);
		assertThat(lambdaContext).as("the Lambda edge's application, caught as it started").isNotNull();
	}

	@AfterAll
	static void stop() {
		if (lambdaContext != null) {
			lambdaContext.close();
		}
		if (container != null) {
			container.close();
		}
		if (ssm != null) {
			ssm.close();
		}
		Strangled.healthy();
	}

	private static void put(String table) {
		ssm.putParameter((put) -> put.name(PARAMETER).type(ParameterType.SECURE_STRING).value(table).overwrite(true));
	}

	@Test
	void aWeightPutInSsmAppliesOnBothEdgesWithoutARestartOrADeployment() {
		put(Strangled.table(0));
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(sides()).containsOnly("legacy"));

		put(Strangled.table(100));
		long put = System.nanoTime();

		long inContainer = await().atMost(PATIENCE)
			.until(() -> containerSide("user-1").equals("new") ? System.nanoTime() : 0L, (at) -> at > 0);
		long onLambda = await().atMost(PATIENCE)
			.until(() -> lambdaSide("user-1").equals("new") ? System.nanoTime() : 0L, (at) -> at > 0);
		System.out.printf("routes from SSM: weight 0 -> 100 applied in the container after %d ms, on Lambda after %d ms "
				+ "(max age %d ms)%n", (inContainer - put) / 1_000_000, (onLambda - put) / 1_000_000, MAX_AGE.toMillis());

		assertThat(sides()).as("every user on new, on both edges").containsOnly("new");
		JsonNode view = strangler();
		assertThat(view.get("source").asString()).isEqualTo("ssm:" + PARAMETER);
		assertThat(view.at("/routes/0/weight").asInt()).isEqualTo(100);
	}

	@Test
	void anInvalidTableIsRejectedOnBothEdgesAndTheLastGoodOneStays() {
		put(Strangled.table(100));
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(sides()).containsOnly("new"));
		RouteTables lambdaTables = lambdaTables();
		long containerRejected = strangler().get("rejectedReloads").asLong();
		long lambdaRejected = lambdaTables.rejectedReloads();
		String error = "ssm:" + PARAMETER + ": routes[0].weight must be 0..100, but was 140";

		put(Strangled.table(100).replace("weight: 100", "weight: 140"));

		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(strangler().get("rejectedReloads").asLong()).isEqualTo(containerRejected + 1));
		// on Lambda only an invocation reads the parameter: each poll is one
		await().atMost(PATIENCE).untilAsserted(() -> {
			assertThat(lambdaSide("user-1")).isEqualTo("new");
			assertThat(lambdaTables.rejectedReloads()).isEqualTo(lambdaRejected + 1);
		});
		JsonNode view = strangler();
		assertThat(view.at("/lastReload/accepted").asBoolean()).isFalse();
		assertThat(view.at("/lastReload/error").asString()).isEqualTo(error);
		assertThat(view.at("/routes/0/weight").asInt()).as("the last good table's weight").isEqualTo(100);
		assertThat(lambdaTables.lastReload().error()).isEqualTo(error);
		assertThat(lambdaTables.current().routes().get(0).weight()).isEqualTo(100);
		assertThat(sides()).as("every user still on new, on both edges").containsOnly("new");
		assertThat(strangler().get("rejectedReloads").asLong()).as("an invalid table is rejected once, not every poll")
			.isEqualTo(containerRejected + 1);
	}

	/** @return the side each test user is served by, on the container and on the Lambda edge */
	private static List<String> sides() {
		List<String> sides = new ArrayList<>();
		for (String user : USERS) {
			sides.add(containerSide(user));
			sides.add(lambdaSide(user));
		}
		return sides;
	}

	private static String containerSide(String user) {
		Bff.Response response = new Bff(port("local.server.port")).get("/orders/1", "Authorization", Tokens.bearer(user));
		assertThat(response.status()).isEqualTo(200);
		String side = response.raw().headers().firstValue("X-Strangler-Side").orElseThrow();
		assertThat(response.json().get("servedBy").asString()).isEqualTo(side);
		return side;
	}

	private static String lambdaSide(String user) {
		Edge.Response response = new LambdaEdge(lambda, LambdaEdge.Format.V2)
			.send(Edge.Request.get("/orders/1", "Authorization", Tokens.bearer(user)));
		assertThat(response.status()).isEqualTo(200);
		String side = response.headers().get("x-strangler-side");
		assertThat(response.json().get("servedBy").asString()).isEqualTo(side);
		return side;
	}

	private static JsonNode strangler() {
		Bff.Response response = new Bff(port("local.management.port")).get("/actuator/strangler");
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

	private static RouteTables lambdaTables() {
		ConfigurableApplicationContext context = lambdaContext;
		assertThat(context).isNotNull();
		return context.getBean(RouteTables.class);
	}

	private static int port(String property) {
		return Integer.parseInt(container.getEnvironment().getProperty(property));
	}

}
