package dev.bffgateway.core.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What the Lambda edge writes to stdout after a request: only what moved, as CloudWatch EMF documents. */
class EmbeddedMetricsPublisherTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final List<String> lines = new ArrayList<>();

	private final EmbeddedMetricsPublisher publisher = new EmbeddedMetricsPublisher(this.registry,
			Clock.fixed(NOW, ZoneOffset.UTC), "BffGateway", "web-bff", List.of("bff.", "resilience4j.circuitbreaker.calls"),
			this.lines::add);

	@Test
	void aTimerThatMovedBecomesCountAndTimeWithItsTagsAsDimensions() {
		Timer timer = Timer.builder("bff.downstream.calls").tag("dependency", "user").tag("outcome", "success")
			.register(this.registry);
		timer.record(Duration.ofMillis(30));
		timer.record(Duration.ofMillis(50));

		this.publisher.publish();

		assertThat(this.lines).hasSize(1);
		assertThat(JSON.readTree(this.lines.get(0))).isEqualTo(JSON.readTree("""
				{"_aws":{"Timestamp":%d,"CloudWatchMetrics":[{"Namespace":"BffGateway",
				  "Dimensions":[["service","dependency","outcome"]],
				  "Metrics":[{"Name":"bff.downstream.calls.count","Unit":"Count"},
				             {"Name":"bff.downstream.calls.time","Unit":"Milliseconds"}]}]},
				 "service":"web-bff","dependency":"user","outcome":"success",
				 "bff.downstream.calls.count":2.0,"bff.downstream.calls.time":80.0}""".formatted(NOW.toEpochMilli())));
	}

	@Test
	void onlyWhatMovedSinceTheLastPublishIsWritten() {
		Timer timer = Timer.builder("bff.dashboard").tag("outcome", "ok").register(this.registry);
		Counter counter = Counter.builder("bff.strangler.requests").tag("route", "orders").register(this.registry);
		timer.record(Duration.ofMillis(10));
		counter.increment(3);
		this.publisher.publish();
		this.lines.clear();

		this.publisher.publish();
		assertThat(this.lines).isEmpty();

		counter.increment();
		this.publisher.publish();
		assertThat(this.lines).hasSize(1);
		JsonNode document = JSON.readTree(this.lines.get(0));
		assertThat(document.get("bff.strangler.requests").asDouble()).isEqualTo(1.0);
		assertThat(document.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asString()).isEqualTo("bff.strangler.requests");
		assertThat(document.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asString()).isEqualTo("Count");
		assertThat(document.get("route").asString()).isEqualTo("orders");
	}

	@Test
	void metersOutsideThePrefixesAndGaugesAreNotPublished() {
		Counter.builder("jvm.gc.pause.count").register(this.registry).increment();
		Counter.builder("resilience4j.circuitbreaker.not.permitted.calls").register(this.registry).increment();
		this.registry.gauge("bff.strangler.table.version", 7);

		this.publisher.publish();

		assertThat(this.lines).isEmpty();
	}

	@Test
	void eachMovedMeterIsItsOwnLine() {
		Counter.builder("resilience4j.circuitbreaker.calls").tag("name", "account").tag("kind", "failed")
			.register(this.registry).increment(2);
		Counter.builder("resilience4j.circuitbreaker.calls").tag("name", "user").tag("kind", "successful")
			.register(this.registry).increment(5);

		this.publisher.publish();

		assertThat(this.lines).hasSize(2);
		assertThat(this.lines.stream().map(JSON::readTree).map((d) -> d.get("name").asString() + "="
				+ d.get("resilience4j.circuitbreaker.calls").asDouble())).containsExactlyInAnyOrder("account=2.0",
						"user=5.0");
	}

}
