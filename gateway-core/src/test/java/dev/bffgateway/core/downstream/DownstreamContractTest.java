package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.aggregation.FanOut;
import dev.bffgateway.core.aggregation.Part;
import dev.bffgateway.core.resilience.BudgetedRetry;
import dev.bffgateway.core.resilience.RetryBudget;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.DefaultResourceLoader;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A dependency's answer checked against its contract (gateway-core's JSON Schemas) and read no further than its
 * size cap; no Spring context: the client over a real HTTP call to WireMock.
 */
class DownstreamContractTest {

	@RegisterExtension
	static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	static final String USER = "{\"id\":\"42\",\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}";

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	/** The clients' Apache client, as production builds it but for Boot's settings: no retries of its own. */
	private final CloseableHttpClient http = HttpClients.custom().disableAutomaticRetries().build();

	private final Logger fanOutLogger = (Logger) LoggerFactory.getLogger(FanOut.class);

	@BeforeEach
	void captureLog() {
		this.log.start();
		this.fanOutLogger.addAppender(this.log);
	}

	@AfterEach
	void releaseLog() throws IOException {
		this.fanOutLogger.detachAppender(this.log);
		this.http.close();
	}

	private DownstreamClient client(String name, long maxBytes) {
		ResponseContract contract = ResponseContract.load("gateway.dependencies.instances." + name + ".contract",
				ResponseContract.BUILT_IN.formatted(name), new DefaultResourceLoader());
		return client(name, maxBytes, contract);
	}

	private DownstreamClient client(String name, long maxBytes, ResponseContract contract) {
		DownstreamClient.Endpoint endpoint = DownstreamClient.Endpoint.of(this.http,
				URI.create(stub.baseUrl()));
		// retries off: every call here is one attempt
		BudgetedRetry once = new BudgetedRetry(name, new BudgetedRetry.Policy(1, Duration.ofMillis(1), Duration.ofMillis(1)),
				new RetryBudget(0.2, 0, Duration.ofSeconds(10), System::nanoTime), (failure) -> false, (answer) -> null,
				() -> 0, this.meters, "bff.downstream.retries", Tags.of("dependency", name));
		return new DownstreamClient(name, endpoint, CircuitBreaker.ofDefaults(name), Bulkhead.ofDefaults(name), null,
				new DownstreamClient.Attempts(once, null), this.meters, "X-User-Id",
				new DownstreamClient.Body(JsonMapper.shared(), maxBytes, contract), OutboundTrace.none());
	}

	private static DownstreamCallException failure(DownstreamClient client, String path) {
		return catchThrowableOfType(DownstreamCallException.class, () -> client.get(JsonNode.class, path));
	}

	private long calls(String dependency, String outcome) {
		return this.meters.get(DownstreamClient.CALLS_METER).tags("dependency", dependency, "outcome", outcome).timer()
			.count();
	}

	@Test
	void anAnswerThatMatchesIsReturnedUnknownFieldsIncluded() {
		stub.stubFor(get("/users/42").willReturn(okJson("{\"id\":\"42\",\"tier\":\"gold\",\"nationalId\":\"X\"}")));
		DownstreamClient users = client("user", 1024);

		JsonNode user = users.get(JsonNode.class, "/users/42");

		assertThat(user).isEqualTo(JsonMapper.shared().readTree("{\"id\":\"42\",\"tier\":\"gold\",\"nationalId\":\"X\"}"));
		assertThat(calls("user", "success")).isEqualTo(1);
	}

	@Test
	void anArrayInsteadOfAnObjectIsAContractFailureAtTheRootCountedAgainstTheBreaker() {
		stub.stubFor(get("/users/42").willReturn(okJson("[" + USER + "]")));
		DownstreamClient users = client("user", 1024);

		DownstreamCallException ex = failure(users, "/users/42");

		assertThat(ex.degradation()).isEqualTo(Degradation.CONTRACT);
		assertThat(Degradation.CONTRACT.tag()).isEqualTo("contract");
		assertThat(ex.detail()).isEqualTo("\"\" type");
		assertThat(ex).hasMessage("dependency 'user' call failed: contract at \"\" type");
		assertThat(users.breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(calls("user", "contract")).isEqualTo(1);
	}

	@Test
	void eachViolationIsNamedByItsPointerAndKeywordNeverByItsValue() {
		stub.stubFor(get("/users/42/activity").willReturn(okJson(
				"{\"userId\":\"42\",\"items\":[{\"id\":\"a-1\",\"type\":\"login\",\"at\":17000000},{\"id\":\"a-2\",\"type\":\"payment\"}]}")));

		DownstreamCallException ex = failure(client("activity", 4096), "/users/42/activity");

		assertThat(ex.degradation()).isEqualTo(Degradation.CONTRACT);
		assertThat(ex.detail()).isEqualTo("\"/items/0/at\" type, \"/items/1\" required at");
		assertThat(ex.getMessage()).doesNotContain("17000000").doesNotContain("a-1").doesNotContain("login");
	}

	@Test
	void atMostThreeViolationsAreNamed() {
		stub.stubFor(get("/accounts/42").willReturn(okJson(
				"{\"id\":1,\"status\":2,\"balance\":{\"amount\":3,\"currency\":4},\"iban\":5}")));

		DownstreamCallException ex = failure(client("account", 4096), "/accounts/42");

		assertThat(ex.detail().split(", ")).hasSize(ResponseContract.MAX_REPORTED);
	}

	@Test
	void theDegradedPartsLogLineNamesThePointerNotTheBody() throws Exception {
		stub.stubFor(get("/users/42").willReturn(okJson("[" + USER + "]")));
		DownstreamClient users = client("user", 1024);
		FanOut fanOut = new FanOut(Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(2));
		this.fanOutLogger.setLevel(Level.DEBUG);
		try {
			Aggregate aggregate = fanOut.run(List.of(Part.required("user", () -> users.get(JsonNode.class, "/users/42"))));

			assertThat(aggregate.degradations()).containsExactly(java.util.Map.entry("user", Degradation.CONTRACT));
		}
		finally {
			this.fanOutLogger.setLevel(null);
		}
		assertThat(this.log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.isEqualTo("Part 'user' degraded: contract (DownstreamCallException) at \"\" type");
		assertThat(this.log.list).allSatisfy((event) -> {
			String logged = event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? event.getThrowableProxy().getMessage() : "");
			assertThat(logged).doesNotContain("Ada").doesNotContain("ada@example.com");
		});
	}

	@Test
	void aBodyUpToTheCapIsReadOneByteMoreIsUnreadable() {
		String body = "{\"id\":\"42\",\"name\":\"" + "a".repeat(100) + "\"}";
		stub.stubFor(get("/users/42").willReturn(okJson(body)));

		assertThat(client("user", body.length()).get(JsonNode.class, "/users/42").get("id").asString()).isEqualTo("42");
		DownstreamCallException ex = failure(client("user", body.length() - 1), "/users/42");
		assertThat(ex.degradation()).isEqualTo(Degradation.UNREADABLE);
		assertThat(ex).hasRootCauseInstanceOf(BoundedBody.TooLarge.class);
		assertThat(ex.getMessage()).doesNotContain("aaaa");
	}

	@Test
	void aChunkedBodyWithoutALengthIsCutAtTheCap() {
		// no Content-Length: only counting while reading can tell
		stub.stubFor(get("/users/42/activity").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withChunkedDribbleDelay(4, 10)
			.withBody("{\"userId\":\"42\",\"items\":[" + "{\"id\":\"a\",\"type\":\"t\",\"at\":\"x\"},".repeat(2_000)
					+ "{\"id\":\"a\",\"type\":\"t\",\"at\":\"x\"}]}")));
		DownstreamClient activities = client("activity", 1024);

		DownstreamCallException ex = failure(activities, "/users/42/activity");

		assertThat(ex.degradation()).isEqualTo(Degradation.UNREADABLE);
		assertThat(ex).hasRootCauseInstanceOf(BoundedBody.TooLarge.class);
		assertThat(calls("activity", "unreadable")).isEqualTo(1);
	}

	@Test
	void theReaderNeverTakesMoreThanTheCapPlusOneByte() {
		CountingEndlessJson source = new CountingEndlessJson();

		assertThatThrownBy(() -> JsonMapper.shared().readTree(new BoundedBody(source, 10_000)))
			.rootCause()
			.isInstanceOf(BoundedBody.TooLarge.class)
			.hasMessage("response body exceeds max-body-size of 10000 bytes");
		assertThat(source.served).isEqualTo(10_001);
	}

	@Test
	void aSchemaThatCannotBeReadOrIsInvalidIsRefusedNamingKeyAndLocation() {
		DefaultResourceLoader resources = new DefaultResourceLoader();
		assertThatThrownBy(() -> ResponseContract.load("gateway.dependencies.instances.user.contract",
				"classpath:no/such.schema.json", resources))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("gateway.dependencies.instances.user.contract must name a readable JSON Schema, but "
					+ "'classpath:no/such.schema.json' could not be read (FileNotFoundException)");
	}

	/** An endless JSON string, counting the bytes taken from it. */
	static final class CountingEndlessJson extends InputStream {

		long served;

		@Override
		public int read() throws IOException {
			return (this.served++ < 2) ? "[\"".charAt((int) this.served - 1) : 'x';
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			for (int i = 0; i < length; i++) {
				buffer[offset + i] = (byte) ((this.served == 0) ? '[' : (this.served == 1) ? '"' : 'x');
				this.served++;
			}
			return length;
		}

	}

}
