package dev.bffgateway.core.replay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.SideSelector;
import dev.bffgateway.core.routing.StickyKey;
import dev.bffgateway.core.routing.Strangler;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** One stored request's replay, against a real backend (WireMock) through a real Strangler and breakers. */
class ReplayWorkerTest {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final WireMockServer backend = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	private final MemoryReplay.Store store = new MemoryReplay.Store();

	private final MemoryReplay.Queue queue = new MemoryReplay.Queue();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
		.slidingWindowSize(2)
		.minimumNumberOfCalls(2)
		.waitDurationInOpenState(Duration.ofHours(1))
		.build());

	private final ReplayProperties properties = new ReplayProperties("t", "q", null, null, null, null,
			DataSize.ofKilobytes(256), 1000, 3, Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofSeconds(3),
			Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(2), true);

	private Route route;

	private ReplayWorker worker;

	@BeforeEach
	void start() {
		this.backend.start();
		// the new service is the one taking the writes; its base path prefixes the request's
		this.route = new Route("orders", List.of("/orders/**"), Set.of(), URI.create("http://127.0.0.1:1"),
				URI.create(this.backend.baseUrl() + "/v2"), 100, StickyKey.NONE);
		this.worker = new ReplayWorker(this.store, this.queue, (id) -> id.equals("orders") ? this.route : null,
				new Strangler(new SideSelector(), this.breakers, this.meters), RestClient.create(), this.properties,
				"X-User-Id", Clock.fixed(NOW, ZoneOffset.UTC), this.meters);
	}

	@AfterEach
	void stop() {
		this.backend.stop();
	}

	private StoredRequest stored(String id, Instant created) {
		StoredRequest request = new StoredRequest(id, "orders", "u-42", "key-" + id, "PUT", "/orders/7", "a=1&b=%20",
				"application/json", "{\"n\":7}".getBytes(StandardCharsets.UTF_8), "f", "u-42", null,
				StoredRequest.Status.PENDING, 0, created.toEpochMilli(), created.toEpochMilli(), 0, 0);
		this.store.create(request);
		return request;
	}

	@Test
	void anAnswerThatTakesItAppliesItSentAsStoredWithTheKeyAndTheUser() {
		this.backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
		stored("r1", NOW);

		ReplayWorker.Outcome outcome = this.worker.replay("orders", "r1");

		assertThat(outcome.kind()).isEqualTo(ReplayWorker.Kind.DONE);
		StoredRequest after = this.store.items.get("r1");
		assertThat(after.status()).isEqualTo(StoredRequest.Status.APPLIED);
		assertThat(after.backendStatus()).isEqualTo(204);
		assertThat(after.attempts()).isEqualTo(1);
		this.backend.verify(1, putRequestedFor(urlEqualTo("/v2/orders/7?a=1&b=%20"))
			.withHeader("Idempotency-Key", equalTo("key-r1"))
			.withHeader("X-User-Id", equalTo("u-42"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalTo("{\"n\":7}")));
		assertThat(this.meters.get("bff.replay.outcomes").tags("route", "orders", "outcome", "applied").counter().count())
			.isEqualTo(1);
	}

	@Test
	void aRefusalEndsItFailedForGood() {
		this.backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(409)));
		stored("r2", NOW);

		assertThat(this.worker.replay("orders", "r2").kind()).isEqualTo(ReplayWorker.Kind.DONE);
		assertThat(this.store.items.get("r2").status()).isEqualTo(StoredRequest.Status.FAILED);
		assertThat(this.store.items.get("r2").backendStatus()).isEqualTo(409);
		assertThat(this.worker.replay("orders", "r2").kind()).as("final: never sent again").isEqualTo(ReplayWorker.Kind.DONE);
		assertThat(this.backend.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void aServerFailureComesBackAfterABackoffAndTheLastAttemptIsDeadLettered() {
		this.backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
		stored("r3", NOW);

		ReplayWorker.Outcome first = this.worker.replay("orders", "r3");
		assertThat(first.kind()).isEqualTo(ReplayWorker.Kind.RETRY);
		assertThat(first.delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.store.items.get("r3").status()).isEqualTo(StoredRequest.Status.PENDING);
		assertThat(this.store.items.get("r3").attempts()).isEqualTo(1);
		this.breakers.getAllCircuitBreakers().forEach((b) -> b.reset()); // keep the breaker out of it
		assertThat(this.worker.replay("orders", "r3").delay()).isEqualTo(Duration.ofSeconds(2));
		this.breakers.getAllCircuitBreakers().forEach((b) -> b.reset());

		ReplayWorker.Outcome last = this.worker.replay("orders", "r3");

		assertThat(last.kind()).isEqualTo(ReplayWorker.Kind.DEAD);
		assertThat(this.store.items.get("r3").status()).isEqualTo(StoredRequest.Status.FAILED);
		assertThat(this.store.items.get("r3").attempts()).isEqualTo(3);
		assertThat(this.queue.deadLetters).containsExactly("r3");
	}

	@Test
	void backoffsDoubleUpToTheLongest() {
		assertThat(this.worker.backoff(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.worker.backoff(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.worker.backoff(3)).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.worker.backoff(40)).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aRequestOlderThanTheMaximumAgeExpiresUnsent() {
		stored("r4", NOW.minus(Duration.ofHours(25)));

		assertThat(this.worker.replay("orders", "r4").kind()).isEqualTo(ReplayWorker.Kind.DONE);
		assertThat(this.store.items.get("r4").status()).isEqualTo(StoredRequest.Status.EXPIRED);
		assertThat(this.backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void whileTheRoutesBreakersAreOpenNothingIsReadClaimedOrSent() {
		stored("r5", NOW);
		this.breakers.circuitBreaker("orders:new").transitionToOpenState();
		this.breakers.circuitBreaker("orders").transitionToOpenState();

		ReplayWorker.Outcome outcome = this.worker.replay("orders", "r5");

		assertThat(outcome.kind()).isEqualTo(ReplayWorker.Kind.WAIT);
		assertThat(outcome.delay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.store.reads).hasValue(0);
		assertThat(this.store.items.get("r5").status()).isEqualTo(StoredRequest.Status.PENDING);
		assertThat(this.backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void aRequestAnotherWorkerHoldsIsLeftToIt() {
		stored("r6", NOW);
		this.store.claim("r6", NOW.toEpochMilli(), NOW.plusSeconds(30).toEpochMilli());

		assertThat(this.worker.replay("orders", "r6").kind()).isEqualTo(ReplayWorker.Kind.RETRY);
		assertThat(this.backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void aMessageForNothingIsDoneWith() {
		assertThat(this.worker.replay("orders", "unknown").kind()).isEqualTo(ReplayWorker.Kind.DONE);
	}

}
