package dev.bffgateway.core.downstream;

import java.util.function.Consumer;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.bffgateway.core.aggregation.AggregationAutoConfiguration;
import dev.bffgateway.core.aggregation.Degradation;
import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import dev.bffgateway.core.routing.Strangler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each way a real HTTP call can fail, classified, timed and seen by the breaker as it should be. */
class DownstreamClientTest {

	@RegisterExtension
	static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@RegisterExtension
	static WireMockExtension replacement = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort())
		.build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ResilienceAutoConfiguration.class, RoutingAutoConfiguration.class, DownstreamAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("gateway.dependencies.instances.account.read-timeout=500ms",
				"resilience4j.bulkhead.instances.account.max-concurrent-calls=1",
				"spring.http.clients.redirects=dont-follow",
				// these tests are about the transport, with bodies of their own; DownstreamContractTest checks contracts
				"gateway.dependencies.instances.account.contract=none");

	private void withClient(Consumer<AssertableApplicationContext> test) {
		this.runner.withPropertyValues("gateway.dependencies.instances.account.base-url=" + stub.baseUrl())
			.run(test::accept);
	}

	@Test
	void readsJsonAndTimesTheSuccess() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{\"id\":\"42\",\"status\":\"active\"}")));
		withClient((context) -> {
			JsonNode account = client(context).get(JsonNode.class, "/accounts/{id}", "42");

			assertThat(account.get("status").asString()).isEqualTo("active");
			assertThat(count(context, "success")).isEqualTo(1);
		});
	}

	@Test
	void serverErrorIsErrorStatusAndRecordedByTheBreaker() {
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withStatus(500)));
		withClient((context) -> {
			assertThat(failure(context)).isEqualTo(Degradation.ERROR_STATUS);
			assertThat(client(context).breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
			assertThat(count(context, "error_status")).isEqualTo(1);
		});
	}

	@Test
	void clientErrorIsErrorStatusButAnAnswerToTheBreaker() {
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withStatus(404)));
		withClient((context) -> {
			assertThat(failure(context)).isEqualTo(Degradation.ERROR_STATUS);
			assertThat(client(context).breaker().getMetrics().getNumberOfFailedCalls()).isZero();
			assertThat(client(context).breaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
		});
	}

	@Test
	void aRedirectIsNeverFollowed() {
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withStatus(302).withHeader("Location", "/login")));
		stub.stubFor(get("/login").willReturn(okJson("{\"login\":true}")));
		withClient((context) -> {
			assertThat(failure(context)).isEqualTo(Degradation.ERROR_STATUS);
			assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/login")))).isEmpty();
		});
	}

	@Test
	void answerSlowerThanTheReadTimeoutIsTimeout() {
		// its own path: the delayed answer may land in the journal after this test, and must not count for another
		stub.stubFor(get("/accounts/slow").willReturn(okJson("{}").withFixedDelay(1_500)));
		withClient((context) -> assertThat(failure(context, "slow")).isEqualTo(Degradation.TIMEOUT));
	}

	@Test
	void resetAndEmptyResponsesAreUnreachable() {
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		withClient((context) -> assertThat(failure(context)).isEqualTo(Degradation.UNREACHABLE));
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		stub.resetRequests();
		withClient((context) -> assertThat(failure(context)).isEqualTo(Degradation.UNREACHABLE));
		assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/42"))))
			.as("sent once: the HTTP client never retries on its own").hasSize(1);
	}

	@Test
	void aConnectionClosedWithoutAnAnswerIsRetriedOnceWithinTheBudget() {
		stub.stubFor(get("/accounts/7").willReturn(okJson("{\"id\":\"7\"}")));
		stub.stubFor(get("/accounts/42").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("answering"));
		stub.stubFor(get("/accounts/42").inScenario("flaky").whenScenarioStateIs("answering")
			.willReturn(okJson("{\"id\":\"42\"}")));
		withClient((context) -> {
			for (int i = 0; i < 10; i++) {
				client(context).get(JsonNode.class, "/accounts/{id}", "7"); // traffic, so the budget has room
			}

			JsonNode account = client(context).get(JsonNode.class, "/accounts/{id}", "42");

			assertThat(account.get("id").asString()).isEqualTo("42");
			assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/42")))).hasSize(2);
			assertThat(retries(context, "retried")).isEqualTo(1);
			assertThat(client(context).breaker().getMetrics().getNumberOfFailedCalls())
				.as("one call to the breaker, whatever its retries").isZero();
		});
	}

	@Test
	void aServiceUnavailableIsRetriedAndAReadTimeoutNever() {
		stub.stubFor(get("/accounts/7").willReturn(okJson("{\"id\":\"7\"}")));
		stub.stubFor(get("/accounts/42").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")).willSetStateTo("free"));
		stub.stubFor(get("/accounts/42").inScenario("busy").whenScenarioStateIs("free")
			.willReturn(okJson("{\"id\":\"42\"}")));
		stub.stubFor(get("/accounts/slow-once").willReturn(okJson("{}").withFixedDelay(1_500)));
		withClient((context) -> {
			for (int i = 0; i < 10; i++) {
				client(context).get(JsonNode.class, "/accounts/{id}", "7");
			}

			assertThat(client(context).get(JsonNode.class, "/accounts/{id}", "42").get("id").asString()).isEqualTo("42");
			assertThat(failure(context, "slow-once")).isEqualTo(Degradation.TIMEOUT);
			assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/slow-once")))).hasSize(1);
			assertThat(retries(context, "retried")).isEqualTo(1);
		});
	}

	@Test
	void aSlowReadIsHedgedAndTheFasterAnswerWins() {
		stub.stubFor(get("/accounts/7").willReturn(okJson("{\"id\":\"7\"}")));
		stub.stubFor(get("/accounts/42").inScenario("slow-first").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson("{\"id\":\"42\",\"attempt\":\"first\"}").withFixedDelay(2_000))
			.willSetStateTo("fast"));
		stub.stubFor(get("/accounts/42").inScenario("slow-first").whenScenarioStateIs("fast")
			.willReturn(okJson("{\"id\":\"42\",\"attempt\":\"hedge\"}")));
		this.runner.withConfiguration(AutoConfigurations.of(AggregationAutoConfiguration.class))
			.withPropertyValues("gateway.dependencies.instances.account.base-url=" + stub.baseUrl(),
					"gateway.dependencies.instances.account.read-timeout=5s", "gateway.dependencies.instances.account.contract=none",
					"gateway.dependencies.instances.account.hedge.enabled=true",
					"gateway.dependencies.instances.account.hedge.percentile=0",
					"gateway.dependencies.instances.account.hedge.delay=50ms",
					"resilience4j.bulkhead.instances.account.max-concurrent-calls=10")
			.run((context) -> {
				for (int i = 0; i < 10; i++) {
					client(context).get(JsonNode.class, "/accounts/{id}", "7");
				}

				JsonNode account = client(context).get(JsonNode.class, "/accounts/{id}", "42");

				assertThat(account.get("attempt").asString()).isEqualTo("hedge");
				assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/42")))).hasSize(2);
				assertThat(context.getBean(MeterRegistry.class).get("bff.downstream.hedges")
					.tags("dependency", "account", "outcome", "won").counter().count()).isEqualTo(1);
			});
	}

	@Test
	void withoutRecentTrafficTheBudgetRefusesTheRetry() {
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		withClient((context) -> {
			assertThat(failure(context)).isEqualTo(Degradation.UNREACHABLE);
			assertThat(retries(context, "budget_exhausted")).isEqualTo(1);
			assertThat(retries(context, "retried")).isZero();
		});
	}

	@Test
	void malformedOrMissingBodyIsUnreadable() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{\"id\": \"42\", ")));
		withClient((context) -> assertThat(failure(context)).isEqualTo(Degradation.UNREADABLE));
		stub.stubFor(get("/accounts/42").willReturn(aResponse().withStatus(200)));
		withClient((context) -> assertThat(failure(context)).isEqualTo(Degradation.UNREADABLE));
	}

	@Test
	void openBreakerRefusesWithoutCallingTheDependency() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{}")));
		withClient((context) -> {
			client(context).breaker().transitionToOpenState();

			assertThat(failure(context)).isEqualTo(Degradation.BREAKER_OPEN);
			assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/42")))).isEmpty();
			assertThat(client(context).breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		});
	}

	@Test
	void fullBulkheadRefusesWithoutCallingTheDependency() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{}")));
		withClient((context) -> {
			Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).bulkhead("account");
			assertThat(bulkhead.tryAcquirePermission()).isTrue();

			assertThat(failure(context)).isEqualTo(Degradation.BULKHEAD_FULL);
			assertThat(stub.findAll(getRequestedFor(urlPathEqualTo("/accounts/42")))).isEmpty();
			assertThat(client(context).breaker().getMetrics().getNumberOfFailedCalls()).isZero();
		});
	}

	private void withStrangledClient(int weight, Consumer<AssertableApplicationContext> test) {
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=" + stub.baseUrl(),
					"gateway.dependencies.instances.account.new-base-url=" + replacement.baseUrl(),
					"gateway.dependencies.instances.account.weight=" + weight,
					// a slow first answer on a loaded machine must not turn into a fallback here
					"gateway.dependencies.instances.account.read-timeout=5s")
			.run(test::accept);
	}

	@Test
	void aStrangledDependencyIsServedByTheNewSideForItsShareOfUsers() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{\"side\":\"legacy\"}")));
		replacement.stubFor(get("/accounts/42").willReturn(okJson("{\"side\":\"new\"}")));
		withStrangledClient(100, (context) -> assertThat(
				client(context).getFor("user-1", JsonNode.class, "/accounts/{id}", "42").get("side").asString())
			.isEqualTo("new"));
		withStrangledClient(0, (context) -> assertThat(
				client(context).getFor("user-1", JsonNode.class, "/accounts/{id}", "42").get("side").asString())
			.isEqualTo("legacy"));
		withStrangledClient(50, (context) -> {
			long onNew = IntStream.range(0, 200)
				.filter((i) -> client(context).getFor("user-" + i, JsonNode.class, "/accounts/{id}", "42")
					.get("side")
					.asString()
					.equals("new"))
				.count();
			assertThat(onNew).isBetween(70L, 130L);
			String first = client(context).getFor("user-7", JsonNode.class, "/accounts/{id}", "42").get("side").asString();
			for (int i = 0; i < 20; i++) {
				assertThat(client(context).getFor("user-7", JsonNode.class, "/accounts/{id}", "42").get("side").asString())
					.isEqualTo(first);
			}
		});
	}

	@Test
	void aFailingNewSideFallsBackToLegacyAndIsCounted() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{\"side\":\"legacy\"}")));
		replacement.stubFor(get("/accounts/42").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		withStrangledClient(100, (context) -> {
			JsonNode account = client(context).getFor("user-1", JsonNode.class, "/accounts/{id}", "42");

			assertThat(account.get("side").asString()).isEqualTo("legacy");
			assertThat(context.getBean(MeterRegistry.class)
				.get(Strangler.REQUESTS_METER)
				.tags("route", "account", "side", "legacy", "outcome", "fallback")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBean(CircuitBreakerRegistry.class)
				.circuitBreaker("account:new")
				.getMetrics()
				.getNumberOfFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void aNewSideAnsweringOutsideTheContractFallsBackToLegacyAndCountsAgainstItsBreaker() {
		stub.stubFor(get("/accounts/42").willReturn(okJson("{\"id\":\"42\",\"status\":\"active\"}")));
		replacement.stubFor(get("/accounts/42").willReturn(okJson("[{\"id\":\"42\",\"status\":\"active\"}]")));
		this.runner
			.withPropertyValues("gateway.dependencies.instances.account.base-url=" + stub.baseUrl(),
					"gateway.dependencies.instances.account.new-base-url=" + replacement.baseUrl(),
					"gateway.dependencies.instances.account.weight=100",
					"gateway.dependencies.instances.account.read-timeout=5s",
					"gateway.dependencies.instances.account.contract=classpath:META-INF/gateway/contracts/account.schema.json")
			.run((context) -> {
				JsonNode account = client(context).getFor("user-1", JsonNode.class, "/accounts/{id}", "42");

				assertThat(account.get("status").asString()).isEqualTo("active");
				assertThat(context.getBean(CircuitBreakerRegistry.class)
					.circuitBreaker("account:new")
					.getMetrics()
					.getNumberOfFailedCalls()).isEqualTo(1);
				assertThat(context.getBean(MeterRegistry.class)
					.get(Strangler.REQUESTS_METER)
					.tags("route", "account", "side", "legacy", "outcome", "fallback")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	private static DownstreamClient client(AssertableApplicationContext context) {
		return context.getBean(Downstream.class).client("account");
	}

	private static Degradation failure(AssertableApplicationContext context) {
		return failure(context, "42");
	}

	private static Degradation failure(AssertableApplicationContext context, String id) {
		DownstreamCallException ex = catchThrowableOfType(DownstreamCallException.class,
				() -> client(context).get(JsonNode.class, "/accounts/{id}", id));
		assertThat(ex).as("call should fail")
			.hasMessageStartingWith("dependency 'account' call failed: ")
			.extracting(DownstreamCallException::dependency)
			.isEqualTo("account");
		return ex.degradation();
	}

	private static double retries(AssertableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.get("bff.downstream.retries")
			.tags("dependency", "account", "outcome", outcome)
			.counter()
			.count();
	}

	private static long count(AssertableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.get(DownstreamClient.CALLS_METER)
			.tags("dependency", "account", "outcome", outcome)
			.timer()
			.count();
	}

	@Test
	void aValueThatWouldMoveThePathFailsTheCallUnsentAndCountsAsAnError() {
		withClient((context) -> {
			assertThat(failure(context, "..")).isEqualTo(Degradation.ERROR);

			assertThat(count(context, Degradation.ERROR.tag())).isEqualTo(1);
			assertThat(count(context, "success")).isZero();
			assertThat(stub.getAllServeEvents()).isEmpty();
		});
	}

	@Test
	void aTemplatesValuesAreEncodedSoNoneCanAddASegmentOrAParameter() {
		assertThat(DownstreamClient.expand("/users/{id}/activity?limit={limit}", "a/b?c=d&e f", 10))
			.isEqualTo("/users/a%2Fb%3Fc%3Dd%26e%20f/activity?limit=10");
		assertThat(DownstreamClient.expand("/users/{id}", "...")).isEqualTo("/users/...");
		assertThat(DownstreamClient.expand("/users/{id}", "Zoë%")).isEqualTo("/users/Zo%C3%AB%25");
		assertThat(DownstreamClient.expand("/health")).isEqualTo("/health");
	}

	@Test
	void aTemplateAndItsValuesMustMatchInNumberAndNoValueMayMoveThePath() {
		assertThatIllegalArgumentException().isThrownBy(() -> DownstreamClient.expand("/users/{id}"))
			.withMessageContaining("more variables than the 0 values");
		assertThatIllegalArgumentException().isThrownBy(() -> DownstreamClient.expand("/users/{id}", "a", "b"))
			.withMessageContaining("has 1 variables, but 2 values");
		assertThatIllegalArgumentException().isThrownBy(() -> DownstreamClient.expand("/users/{id", "a"))
			.withMessageContaining("unclosed");
		assertThatIllegalArgumentException().isThrownBy(() -> DownstreamClient.expand("/users/{id}/x", ".."))
			.withMessageContaining("would change the path");
		assertThatIllegalArgumentException().isThrownBy(() -> DownstreamClient.expand("/users/{id}/x", "."))
			.withMessageContaining("would change the path");
	}

}
