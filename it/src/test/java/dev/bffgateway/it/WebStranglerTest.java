package dev.bffgateway.it;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.SideSelector;
import dev.bffgateway.core.routing.StickyKey;
import dev.bffgateway.web.WebBffApplication;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * web-bff's strangler routes on the container edge, against WireMock legacy and new services: split, stickiness,
 * force override ignored by default, fallback to legacy, live reload while traffic flows, and what the proxy
 * carries through.
 */
@SpringBootTest(classes = WebBffApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gateway.routes.poll-interval=100ms",
				"resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
				"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4" })
class WebStranglerTest extends StranglerTestSupport {

	@BeforeEach
	void tableInForce() {
		await().atMost(Duration.ofSeconds(5)).until(() -> weight() == 30);
	}

	private String side(String userId) {
		Bff.Response response = this.bff.get("/orders/1", "Authorization", Tokens.bearer(userId));
		assertThat(response.status()).isEqualTo(200);
		String side = response.raw().headers().firstValue("X-Strangler-Side").orElseThrow();
		assertThat(response.json().get("servedBy").asString()).isEqualTo(side);
		return side;
	}

	private int weight() {
		return this.management.get("/actuator/strangler").json().at("/routes/0/weight").asInt();
	}

	@Test
	void tenThousandUsersSplitWithinOnePointOfTheWeight() {
		long onNew = IntStream.range(0, 10_000).filter((i) -> side("user-" + i).equals("new")).count();

		assertThat(onNew / 100.0).isBetween(29.0, 31.0);
	}

	@Test
	void aUserStaysOnOneSide() {
		List<String> sides = IntStream.range(0, 100).mapToObj((i) -> side("user-42")).toList();

		assertThat(sides).containsOnly(sides.get(0));
	}

	@Test
	void forceOverrideIsIgnoredUnlessEnabled() {
		String natural = side("user-1");
		String other = natural.equals("new") ? "legacy" : "new";

		Bff.Response forced = this.bff.get("/orders/1", "Authorization", Tokens.bearer("user-1"), "X-Strangler-Force", other);

		assertThat(forced.raw().headers().firstValue("X-Strangler-Side")).contains(natural);
	}

	@Test
	void aDeadNewSideIsServedByLegacyAndCounted() {
		Strangled.NEW.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		double before = this.meters.counter("bff.strangler.requests", "route", "echo", "side", "legacy", "outcome", "fallback")
			.count();

		for (int i = 0; i < 10; i++) {
			Bff.Response response = this.bff.get("/echo/" + i, "Authorization", Tokens.bearer("user-" + i));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.raw().headers().firstValue("X-Strangler-Side")).contains("legacy");
			assertThat(response.json().get("servedBy").asString()).isEqualTo("legacy");
		}

		assertThat(this.meters.counter("bff.strangler.requests", "route", "echo", "side", "legacy", "outcome", "fallback")
			.count()).isEqualTo(before + 10);
		assertThat(this.management.get("/actuator/strangler").json().at("/routes/1/sides/new/breaker").asString())
			.isEqualTo("OPEN");
	}

	@Test
	void aPostIsNeverReplayedOnTheOtherSide() {
		Strangled.NEW.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);

		Bff.Response response = this.bff.send("POST", "/echo/order", "Content-Type", "application/json", "Authorization",
				Tokens.bearer("user-1"));

		assertThat(response.status()).isEqualTo(502);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(Strangled.LEGACY.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void validEditAppliesLiveWithoutFailingTrafficAndMovesUsersOnlyTowardsNew() throws Exception {
		List<String> users = IntStream.range(0, 300).mapToObj((i) -> "user-" + i).toList();
		List<String> before = users.stream().map(this::side).toList();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger failures = new AtomicInteger();
		AtomicInteger served = new AtomicInteger();
		Thread traffic = Thread.ofPlatform().start(() -> {
			while (running.get()) {
				int status = this.bff.get("/orders/7", "Authorization", Tokens.bearer("user-" + served.get() % 50)).status();
				served.incrementAndGet();
				if (status >= 500) {
					failures.incrementAndGet();
				}
			}
		});

		Strangled.write(Strangled.table(60));
		await().atMost(Duration.ofSeconds(2)).until(() -> weight() == 60);
		running.set(false);
		traffic.join();

		List<String> after = users.stream().map(this::side).toList();
		for (int i = 0; i < users.size(); i++) {
			if (before.get(i).equals("new")) {
				assertThat(after.get(i)).as(users.get(i) + " stays on new").isEqualTo("new");
			}
		}
		assertThat(after.stream().filter("new"::equals).count()).isGreaterThan(before.stream().filter("new"::equals).count());
		assertThat(served.get()).isPositive();
		assertThat(failures.get()).as("5xx during the swap").isZero();
	}

	@Test
	void invalidEditIsRejectedAndTheLastGoodTableStays() {
		double rejected = this.management.get("/actuator/strangler").json().get("rejectedReloads").asDouble();

		Strangled.write(Strangled.table(30).replace("weight: 100", "weight: 140"));

		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
				this.management.get("/actuator/strangler").json().get("rejectedReloads").asDouble()).isEqualTo(rejected + 1));
		var view = this.management.get("/actuator/strangler").json();
		assertThat(view.at("/lastReload/accepted").asBoolean()).isFalse();
		assertThat(view.at("/lastReload/error").asString())
			.isEqualTo(Strangled.ROUTES_FILE + ": routes[1].weight must be 0..100, but was 140");
		assertThat(view.at("/routes/1/weight").asInt()).isEqualTo(100);
		assertThat(this.meters.get("bff.strangler.reloads.rejected").functionCounter().count()).isEqualTo(rejected + 1);
		// still split by the last good table: orders at 30 %, sticky on the verified user
		Route orders = new Route("orders", List.of("/orders/**"), Set.of(), URI.create("http://legacy"),
				URI.create("http://new"), 30, new StickyKey.Header("X-User-Id"));
		assertThat(side("user-1")).isEqualTo(new SideSelector().select(orders, "user-1").value());
	}

	@Test
	void methodPathQueryAndBodyArriveIntactAndHopByHopHeadersDoNot() {
		Bff.Response response = this.bff.send("POST", "/echo/a%20b/c?q=1&q=two%20words&x=%26", "Authorization", Tokens.bearer("user-1"), "Content-Type",
				"application/json", "X-Custom", "kept", "Keep-Alive", "timeout=5", "TE", "trailers",
				"Proxy-Authorization", "Basic c2VjcmV0");

		assertThat(response.status()).isEqualTo(200);
		List<LoggedRequest> received = new ArrayList<>(Strangled.NEW.findAll(anyRequestedFor(anyUrl())));
		assertThat(received).hasSize(1);
		LoggedRequest request = received.get(0);
		assertThat(request.getMethod().getName()).isEqualTo("POST");
		assertThat(request.getUrl()).isEqualTo("/echo/a%20b/c?q=1&q=two%20words&x=%26");
		assertThat(request.getHeader("X-Custom")).isEqualTo("kept");
		assertThat(request.containsHeader("Keep-Alive")).isFalse();
		assertThat(request.containsHeader("TE")).isFalse();
		assertThat(request.containsHeader("Proxy-Authorization")).isFalse();
		assertThat(request.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
	}

	@Test
	void oneUsersCookiesNeverReachTheNextUsersRequest() {
		Strangled.NEW.stubFor(any(anyUrl()).atPriority(1)
			.willReturn(aResponse().withStatus(200).withHeader("Set-Cookie", "session=alice-secret; Path=/")));

		Bff.Response alice = this.bff.get("/echo/alice", "Authorization", Tokens.bearer("alice"));
		this.bff.get("/echo/bob", "Authorization", Tokens.bearer("bob"));

		assertThat(alice.raw().headers().firstValue("Set-Cookie")).contains("session=alice-secret; Path=/");
		List<LoggedRequest> received = Strangled.NEW.findAll(anyRequestedFor(anyUrl()));
		assertThat(received).hasSize(2);
		assertThat(received.get(1).getUrl()).isEqualTo("/echo/bob");
		assertThat(received.get(1).containsHeader("Cookie")).as("bob's request carries alice's cookie").isFalse();
	}

}
