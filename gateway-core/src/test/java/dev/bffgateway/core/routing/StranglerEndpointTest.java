package dev.bffgateway.core.routing;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.testing.MovableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StranglerEndpointTest {

	private static final Route ACCOUNT = Route.dependency("account", URI.create("http://legacy.internal/account"),
			URI.create("http://account.internal"), 20);

	private final RouteTablesTest.EditableSource source = new RouteTablesTest.EditableSource("""
			routes:
			  - id: orders
			    paths: [/orders/**]
			    methods: [POST, GET]
			    legacy-uri: http://legacy.internal
			    new-uri: http://orders.internal
			    weight: 100
			    sticky:
			      header: X-User-Id
			    breaker: strict
			""");

	private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T09:00:00Z"));

	private final RouteTables tables = new RouteTables(this.source,
			new RouteTableParser(List.of(ACCOUNT), null), this.clock);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Strangler strangler = new Strangler(new SideSelector(),
			CircuitBreakerRegistry.of(Map.of("default", CircuitBreakerConfig.ofDefaults(), "strict",
					CircuitBreakerConfig.custom().slidingWindowSize(10).build())),
			this.meters);

	private final StranglerEndpoint endpoint = new StranglerEndpoint(this.tables, this.strangler, null, this.meters);

	@Test
	void showsTheTableItsTrafficAndTheLastReload() throws Exception {
		Route orders = this.tables.current().routes().get(0);
		this.strangler.serve(orders, "u1", null, true, (answer) -> false, (side, base) -> side.value());
		this.strangler.serve(orders, "u1", null, true, (answer) -> false, (side, base) -> {
			if (side == Side.NEW) {
				throw new IOException("reset");
			}
			return "legacy";
		});
		this.strangler.serve(orders, "u1", null, true, (answer) -> answer.equals("new"), (side, base) -> side.value());
		this.strangler.breaker(ACCOUNT, Side.NEW).transitionToOpenState();

		Map<String, Object> view = this.endpoint.strangler();

		assertThat(view).containsExactly(Map.entry("source", "routes/web-bff.yml"), Map.entry("version", 1L),
				Map.entry("loadedAt", "2026-11-27T09:00:00Z"),
				Map.entry("lastReload", Map.of("at", "2026-11-27T09:00:00Z", "accepted", true)),
				Map.entry("rejectedReloads", 0L),
				Map.entry("routes", List.of(Map.ofEntries(Map.entry("id", "orders"),
						Map.entry("paths", List.of("/orders/**")), Map.entry("methods", List.of("GET", "POST")),
						Map.entry("weight", 100), Map.entry("legacy", "http://legacy.internal"),
						Map.entry("new", "http://orders.internal"),
						Map.entry("sticky", "Header[name=X-User-Id]"), Map.entry("breakerConfig", "strict"),
						Map.entry("sides", Map.of(
								"legacy", Map.of("breaker", "CLOSED", "requests", 1L, "errors", 0L),
								"new", Map.of("breaker", "CLOSED", "requests", 1L, "errors", 1L))),
						Map.entry("fallbacks", 1L)))),
				Map.entry("dependencies", List.of(Map.of("id", "account", "weight", 20, "legacy",
						"http://legacy.internal/account", "new", "http://account.internal", "breakerConfig", "default",
						"sides", Map.of(
								"legacy", Map.of("breaker", "CLOSED", "requests", 0L, "errors", 0L),
								"new", Map.of("breaker", "OPEN", "requests", 0L, "errors", 0L)),
						"fallbacks", 0L))));
	}

	@Test
	void showsWhatARouteThatStoresItsWritesStoredAndHowTheirReplaysEnded() throws Exception {
		this.source.content = this.source.content + "    on-unavailable: store\n";
		assertThat(this.tables.reloadIfChanged()).isTrue();
		this.meters.counter("bff.replay.stored", "route", "orders").increment(3);
		this.meters.counter("bff.replay.outcomes", "route", "orders", "outcome", "applied").increment(2);
		this.meters.counter("bff.replay.outcomes", "route", "orders", "outcome", "dead_lettered").increment();
		this.meters.counter("bff.replay.outcomes", "route", "billing", "outcome", "applied").increment(9);

		@SuppressWarnings("unchecked")
		Map<String, Object> orders = ((List<Map<String, Object>>) this.endpoint.strangler().get("routes")).get(0);

		assertThat(orders).containsEntry("replay",
				Map.of("stored", 3L, "applied", 2L, "refused", 0L, "expired", 0L, "deadLettered", 1L));
	}

	@Test
	void showsARejectedReloadWithItsError() {
		this.source.content = "routes: [";

		this.tables.reloadIfChanged();

		Map<String, Object> view = this.endpoint.strangler();
		assertThat(view.get("version")).isEqualTo(1L);
		assertThat(view.get("rejectedReloads")).isEqualTo(1L);
		assertThat(view.get("lastReload")).isEqualTo(Map.of("at", "2026-11-27T09:00:00Z", "accepted", false, "error",
				this.tables.lastReload().error()));
		assertThat(this.tables.lastReload().error()).startsWith("routes/web-bff.yml: not valid YAML at line 1");
	}

}
