package dev.bffgateway.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.bffgateway.web.WebBffApplication;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Store and replay, end to end: web-bff as its own process (killed with SIGKILL halfway, started again), its critical
 * route {@code orders} ({@code on-unavailable: store}) in front of a backend that is down, DynamoDB (moto's server mode,
 * behind a relay the test can cut) as the store and SQS (ElasticMQ, FIFO) as the trigger. A thousand writes of twenty
 * users are stored and answered {@code 202}; when the backend is back they are applied exactly once each, each user's
 * in the order sent; retries with used keys reach nobody; an expired request is never sent; a refused one is not
 * retried; a store that fails answers {@code 503}. On the Lambda side, the replay function answers a partial batch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreAndReplayTest {

	private static final int USERS = 20;

	private static final int WRITES_PER_USER = 50;

	private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

	private static final String TABLE = "requests-" + SUFFIX;

	private static final WireMockServer BACKEND = Downstreams.start();

	private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static SQSRestServer elasticMq;

	private static String sqsEndpoint;

	private static String queueUrl;

	private static String deadLetterUrl;

	private static DynamoDbClient dynamo;

	private static SqsClient sqs;

	private static TcpRelay store;

	private static Path routes;

	private static BffProcess bff;

	private static final List<Long> accepted = new ArrayList<>();

	@BeforeAll
	static void start() {
		URI moto = URI.create(Moto.ENDPOINT);
		dynamo = DynamoDbClient.builder().endpointOverride(moto).region(Region.US_EAST_1)
			.httpClient(UrlConnectionHttpClient.create()).build();
		dynamo.createTable((table) -> table.tableName(TABLE)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("id", ScalarAttributeType.S), attribute("status", ScalarAttributeType.S),
					attribute("createdAt", ScalarAttributeType.N))
			.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName("by-status")
				.keySchema(KeySchemaElement.builder().attributeName("status").keyType(KeyType.HASH).build(),
						KeySchemaElement.builder().attributeName("createdAt").keyType(KeyType.RANGE).build())
				.projection((p) -> p.projectionType(ProjectionType.KEYS_ONLY))
				.build()));
		store = new TcpRelay(moto.getPort());
		elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
		sqsEndpoint = "http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort();
		sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
			.httpClient(UrlConnectionHttpClient.create()).build();
		queueUrl = fifo("replay-" + SUFFIX + ".fifo");
		deadLetterUrl = fifo("replay-dlq-" + SUFFIX + ".fifo");
		routes = Strangled.routesFile("web-bff.yml", """
				routes:
				  - id: orders
				    paths: [/orders, /orders/**]
				    legacy-uri: %1$s
				    new-uri: %1$s
				    weight: 0
				    sticky:
				      header: X-User-Id
				    on-unavailable: store
				""".formatted(BACKEND.baseUrl()));
		down();
		bff = startBff();
	}

	@AfterAll
	static void stop() {
		if (bff != null) {
			// the BFF's own errors, if any, beside the test's report
			bff.output().lines().filter((line) -> line.contains(" ERROR ") || line.contains("Exception"))
				.limit(40).forEach(System.out::println);
			bff.close();
		}
		store.close();
		elasticMq.stopAndWait();
		dynamo.close();
		sqs.close();
	}

	private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
		return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
	}

	private static String fifo(String name) {
		return sqs.createQueue((queue) -> queue.queueName(name)
			.attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "5")))
			.queueUrl();
	}

	/** The settings of every BFF in this test: the store, the queue, fast backoffs, a breaker that reopens soon. */
	static Map<String, String> settings() {
		Map<String, String> settings = new HashMap<>(Tokens.environment());
		for (String name : Downstreams.NAMES) {
			settings.put("gateway.dependencies.instances." + name + ".base-url", Downstreams.of(name).baseUrl());
		}
		settings.put("gateway.routes.file", routes.toString());
		settings.put("gateway.replay.table", TABLE);
		settings.put("gateway.replay.queue-url", queueUrl);
		settings.put("gateway.replay.dead-letter-queue-url", deadLetterUrl);
		settings.put("gateway.replay.endpoint", store.url());
		settings.put("gateway.replay.queue-endpoint", sqsEndpoint);
		settings.put("gateway.replay.region", "us-east-1");
		settings.put("gateway.replay.max-backoff", "2s");
		settings.put("gateway.replay.breaker-open-delay", "1s");
		settings.put("gateway.replay.lease", "10s");
		settings.put("resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state", "2s");
		return settings;
	}

	private static BffProcess startBff() {
		List<String> arguments = new ArrayList<>();
		settings().forEach((key, value) -> arguments.add("--" + key + "=" + value));
		arguments.add("--management.server.port=" + BffProcess.freePort());
		return BffProcess.start("web-bff", BffProcess.freePort(), arguments,
				Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
	}

	private static void down() {
		BACKEND.resetAll();
		BACKEND.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(503)));
	}

	private static void up() {
		BACKEND.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withStatus(201)));
	}

	@Test
	@Order(1)
	void aThousandWritesWhileTheBackendIsDownAreStoredAndAppliedOnceEachInOrderAcrossACrash() throws Exception {
		send(0, WRITES_PER_USER / 2);
		bff.kill(); // after the 500th: SIGKILL, no shutdown
		bff = startBff();
		send(WRITES_PER_USER / 2, WRITES_PER_USER);
		List<Long> sorted = accepted.stream().sorted().toList();
		System.out.printf("store and replay: 202 for %d writes, p50 %.1f ms, p99 %.1f ms%n", sorted.size(),
				sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6);

		long back = System.nanoTime();
		up();
		await().atMost(Duration.ofSeconds(60)).until(() -> applied().size() >= USERS * WRITES_PER_USER);
		System.out.printf("store and replay: 1000 applied %.1f s after the backend came back%n",
				(System.nanoTime() - back) / 1e9);

		List<LoggedRequest> applied = applied();
		assertThat(applied).hasSize(USERS * WRITES_PER_USER);
		Set<String> keys = new HashSet<>();
		Map<String, Integer> last = new HashMap<>();
		for (LoggedRequest request : applied) {
			assertThat(keys.add(request.getHeader("Idempotency-Key"))).as("applied once: " + request.getHeader("Idempotency-Key"))
				.isTrue();
			String user = request.getHeader("X-User-Id");
			int sequence = Integer.parseInt(request.getBodyAsString().replaceAll("\\D", ""));
			assertThat(sequence).as("user " + user + "'s writes in the order sent").isGreaterThan(last.getOrDefault(user, -1));
			last.put(user, sequence);
		}
		assertThat(last).hasSize(USERS);
	}

	@Test
	@Order(2)
	void retriesWithUsedKeysReachNobodyAndAnswerTheStoredStatus() {
		int before = applied().size();
		for (int i = 0; i < 200; i++) {
			String user = "u" + (i % USERS);
			int sequence = i / USERS;
			HttpResponse<String> response = write(user, key(user, sequence), body(sequence));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(Bff.JSON.readTree(response.body()).path("status").asString()).isEqualTo("APPLIED");
			assertThat(response.headers().firstValue("Location")).hasValueSatisfying((l) -> assertThat(l).startsWith("/requests/"));
		}
		assertThat(applied()).hasSize(before);
	}

	@Test
	@Order(3)
	void theStatusIsItsOwnersAlone() {
		HttpResponse<String> again = write("u1", key("u1", 0), body(0));
		String location = again.headers().firstValue("Location").orElseThrow();

		HttpResponse<String> owner = get(location, "u1");
		HttpResponse<String> stranger = get(location, "u2");

		assertThat(owner.statusCode()).isEqualTo(200);
		JsonNode status = Bff.JSON.readTree(owner.body());
		assertThat(status.path("status").asString()).isEqualTo("APPLIED");
		assertThat(status.path("backendStatus").asInt()).isEqualTo(201);
		assertThat(stranger.statusCode()).isEqualTo(404);
		try {
			HttpResponse<String> anonymous = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bff.port()
					+ location)).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(anonymous.statusCode()).as("no verified user, no status").isEqualTo(401);
			HttpResponse<String> forged = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bff.port()
					+ location)).header("X-User-Id", "u1").build(), HttpResponse.BodyHandlers.ofString());
			assertThat(forged.statusCode()).as("a claimed user is no verified user").isEqualTo(401);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		assertThat(get("/requests/" + "0".repeat(32), "u1").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(4)
	void aBackendThatRefusesAWriteEndsItFailedAndItIsNotRetried() {
		String path = "/orders/refused";
		BACKEND.stubFor(any(urlPathEqualTo(path)).atPriority(1).inScenario("refused")
			.whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("refusing"));
		BACKEND.stubFor(any(urlPathEqualTo(path)).atPriority(1).inScenario("refused")
			.whenScenarioStateIs("refusing").willReturn(aResponse().withStatus(422)));

		HttpResponse<String> stored = send("POST", path, "u3", "refused-1", "{\"n\":1}");
		assertThat(stored.statusCode()).isEqualTo(202);
		String location = stored.headers().firstValue("Location").orElseThrow();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> Bff.JSON.readTree(get(location, "u3").body()).path("status").asString().equals("FAILED"));
		JsonNode status = Bff.JSON.readTree(get(location, "u3").body());
		assertThat(status.path("backendStatus").asInt()).isEqualTo(422);
		assertThat(BACKEND.findAll(postRequestedFor(urlPathEqualTo(path)))).as("the live call and one replay").hasSize(2);
	}

	@Test
	@Order(5)
	void aRequestOlderThanTheMaximumAgeExpiresWithoutReachingTheBackend() {
		String id = "e".repeat(32);
		long created = Instant.now().minus(Duration.ofHours(25)).toEpochMilli();
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("id", AttributeValue.fromS(id));
		item.put("route", AttributeValue.fromS("orders"));
		item.put("owner", AttributeValue.fromS("u4"));
		item.put("idempotencyKey", AttributeValue.fromS("expired-1"));
		item.put("method", AttributeValue.fromS("POST"));
		item.put("path", AttributeValue.fromS("/orders/expired"));
		item.put("body", AttributeValue.fromB(SdkBytes.fromUtf8String("{}")));
		item.put("fingerprint", AttributeValue.fromS("x"));
		item.put("group", AttributeValue.fromS("u4"));
		item.put("status", AttributeValue.fromS("PENDING"));
		item.put("attempts", AttributeValue.fromN("0"));
		item.put("createdAt", AttributeValue.fromN(Long.toString(created)));
		item.put("updatedAt", AttributeValue.fromN(Long.toString(created)));
		dynamo.putItem((put) -> put.tableName(TABLE).item(item));
		sqs.sendMessage((m) -> m.queueUrl(queueUrl)
			.messageBody("{\"route\":\"orders\",\"id\":\"" + id + "\"}")
			.messageGroupId("u4")
			.messageDeduplicationId(id));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> Bff.JSON.readTree(get("/requests/" + id, "u4").body()).path("status").asString().equals("EXPIRED"));
		assertThat(BACKEND.findAll(postRequestedFor(urlPathEqualTo("/orders/expired")))).isEmpty();
	}

	@Test
	@Order(6)
	void badWritesGetClearAnswersAndAStoreThatFailsNeverA202() {
		down();
		assertThat(send("POST", "/orders/x", "u5", null, "{}").statusCode()).as("no Idempotency-Key").isEqualTo(400);
		assertThat(send("POST", "/orders/x", "u5", "big", "x".repeat(300 * 1024)).statusCode()).isEqualTo(413);
		assertThat(send("POST", "/orders/x", "u5", "twice", "{\"a\":1}").statusCode()).isEqualTo(202);
		assertThat(send("POST", "/orders/x", "u5", "twice", "{\"a\":2}").statusCode()).as("the key, another body")
			.isEqualTo(422);

		store.cut();
		try {
			HttpResponse<String> response = send("POST", "/orders/x", "u5", "while-cut", "{}");
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).isPresent();
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
		finally {
			store.restore();
		}
		up();
	}

	@Test
	@Order(7)
	void onLambdaTheReplayFunctionAnswersExactlyTheFailedMessagesOfABatch() {
		BACKEND.stubFor(any(urlPathMatching("/orders/lambda-fail-.*")).atPriority(1).willReturn(aResponse().withStatus(503)));
		List<String> failing = new ArrayList<>();
		StringBuilder records = new StringBuilder();
		for (int i = 0; i < 10; i++) {
			boolean fails = i % 3 == 1; // 1, 4, 7
			String id = String.format("%032d", i + 100);
			String path = (fails ? "/orders/lambda-fail-" : "/orders/lambda-ok-") + i;
			Map<String, AttributeValue> item = new HashMap<>();
			long now = System.currentTimeMillis();
			item.put("id", AttributeValue.fromS(id));
			item.put("route", AttributeValue.fromS("orders"));
			item.put("owner", AttributeValue.fromS("lambda-" + i));
			item.put("idempotencyKey", AttributeValue.fromS("lambda-" + i));
			item.put("method", AttributeValue.fromS("POST"));
			item.put("path", AttributeValue.fromS(path));
			item.put("body", AttributeValue.fromB(SdkBytes.fromUtf8String("{}")));
			item.put("fingerprint", AttributeValue.fromS("x"));
			item.put("group", AttributeValue.fromS("lambda-" + i));
			item.put("status", AttributeValue.fromS("PENDING"));
			item.put("attempts", AttributeValue.fromN("0"));
			item.put("createdAt", AttributeValue.fromN(Long.toString(now)));
			item.put("updatedAt", AttributeValue.fromN(Long.toString(now)));
			dynamo.putItem((put) -> put.tableName(TABLE).item(item));
			String messageId = "message-" + i;
			if (fails) {
				failing.add(messageId);
			}
			records.append((i > 0) ? "," : "").append("""
					{"messageId":"%s","receiptHandle":"receipt-%d","body":"{\\"route\\":\\"orders\\",\\"id\\":\\"%s\\"}",\
					"attributes":{"MessageGroupId":"lambda-%d","ApproximateReceiveCount":"1"},"eventSource":"aws:sqs"}""".formatted(messageId, i, id, i));
		}
		String event = "{\"Records\":[" + records + "]}";

		Map<String, String> properties = new HashMap<>(settings());
		properties.put("spring.cloud.function.definition", "replayRequests");
		properties.put("gateway.replay.poll", "false");
		System.setProperty("aws.accessKeyId", "testing");
		System.setProperty("aws.secretAccessKey", "testing");
		String[] arguments = properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		try (ConfigurableApplicationContext function = new SpringApplicationBuilder(WebBffApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments)) {
			FunctionCatalog catalog = function.getBean(FunctionCatalog.class);
			java.util.function.Function<Message<byte[]>, Message<byte[]>> replay = catalog.lookup("replayRequests",
					"application/json");
			Message<byte[]> answer = replay.apply(MessageBuilder.withPayload(event.getBytes(StandardCharsets.UTF_8)).build());
			JsonNode response = Bff.JSON.readTree(answer.getPayload());
			List<String> reported = new ArrayList<>();
			response.path("batchItemFailures").forEach((f) -> reported.add(f.path("itemIdentifier").asString()));
			assertThat(reported).containsExactlyInAnyOrderElementsOf(failing);
		}
		assertThat(BACKEND.findAll(postRequestedFor(urlPathMatching("/orders/lambda-ok-.*")))).hasSize(7);
	}

	/** Every user sends writes {@code from} to {@code to}, one after the other; the users side by side. */
	private static void send(int from, int to) throws Exception {
		try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
			List<Future<List<Long>>> users = new ArrayList<>();
			for (int u = 0; u < USERS; u++) {
				String user = "u" + u;
				users.add(executor.submit(() -> {
					List<Long> latencies = new ArrayList<>();
					for (int sequence = from; sequence < to; sequence++) {
						long start = System.nanoTime();
						HttpResponse<String> response = write(user, key(user, sequence), body(sequence));
						latencies.add(System.nanoTime() - start);
						assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
						assertThat(Bff.JSON.readTree(response.body()).path("status").asString()).isEqualTo("PENDING");
					}
					return latencies;
				}));
			}
			for (Future<List<Long>> user : users) {
				accepted.addAll(user.get());
			}
		}
	}

	private static String key(String user, int sequence) {
		return "order-" + user + "-" + sequence + "-" + SUFFIX;
	}

	private static String body(int sequence) {
		return "{\"sequence\":" + sequence + "}";
	}

	private static HttpResponse<String> write(String user, String key, String body) {
		return send("POST", "/orders", user, key, body);
	}

	private static HttpResponse<String> send(String method, String path, String user, String key, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bff.port() + path))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", Tokens.bearer(user))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		try {
			return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> get(String path, String user) {
		try {
			return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bff.port() + path))
				.header("Authorization", Tokens.bearer(user))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** @return the writes the backend took ({@code 201}) on {@code /orders}, as it received them, in order */
	private static List<LoggedRequest> applied() {
		return BACKEND.getAllServeEvents()
			.stream()
			.filter((e) -> e.getResponse().getStatus() == 201 && e.getRequest().getUrl().equals("/orders")
					&& e.getRequest().getMethod().getName().equals("POST"))
			.map((e) -> e.getRequest())
			.sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
			.toList();
	}

}
