package dev.bffgateway.core.edge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes what changed in the BFF's timers and counters since the last call as CloudWatch embedded metric
 * format (EMF) documents, one JSON line each. On Lambda, stdout goes to CloudWatch Logs, which turns those
 * lines into metrics: the same Micrometer meters as the container's {@code /actuator/prometheus}, without an
 * agent or an API call on the request path.
 *
 * <p>A timer {@code bff.downstream.calls} tagged {@code dependency=user, outcome=success} becomes metrics
 * {@code bff.downstream.calls.count} (Count) and {@code bff.downstream.calls.time} (Milliseconds) with
 * dimensions {@code service, dependency, outcome}. Thread-safe.
 */
final class EmbeddedMetricsPublisher {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MeterRegistry registry;

	private final Clock clock;

	private final String namespace;

	private final String service;

	private final List<String> prefixes;

	private final Consumer<String> out;

	private final Map<Meter.Id, double[]> published = new HashMap<>();

	/**
	 * @param registry the meters to read
	 * @param clock the source of each document's timestamp
	 * @param namespace the CloudWatch namespace
	 * @param service the value of the {@code service} dimension (the application name)
	 * @param prefixes only meters whose name starts with one of these are published
	 * @param out where each document (one line) goes; on Lambda, stdout
	 */
	EmbeddedMetricsPublisher(MeterRegistry registry, Clock clock, String namespace, String service,
			List<String> prefixes, Consumer<String> out) {
		this.registry = registry;
		this.clock = clock;
		this.namespace = namespace;
		this.service = service;
		this.prefixes = List.copyOf(prefixes);
		this.out = out;
	}

	/** Publishes every selected timer and counter that moved since the previous call. */
	public synchronized void publish() {
		long timestamp = this.clock.millis();
		for (Meter meter : this.registry.getMeters()) {
			if (!selected(meter.getId().getName())) {
				continue;
			}
			if (meter instanceof Timer timer) {
				double[] now = { timer.count(), timer.totalTime(TimeUnit.MILLISECONDS) };
				double[] delta = delta(meter.getId(), now);
				if (delta[0] > 0) {
					emit(timestamp, meter.getId(), List.of(new Value(".count", delta[0], "Count"),
							new Value(".time", delta[1], "Milliseconds")));
				}
			}
			else if (meter instanceof Counter counter) {
				double[] delta = delta(meter.getId(), new double[] { counter.count() });
				if (delta[0] > 0) {
					emit(timestamp, meter.getId(), List.of(new Value("", delta[0], "Count")));
				}
			}
		}
	}

	private boolean selected(String name) {
		for (String prefix : this.prefixes) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private double[] delta(Meter.Id id, double[] now) {
		double[] before = this.published.getOrDefault(id, new double[now.length]);
		this.published.put(id, now);
		double[] delta = new double[now.length];
		for (int i = 0; i < now.length; i++) {
			delta[i] = now[i] - before[i];
		}
		return delta;
	}

	/** One metric of a document: the meter's name with a suffix, its amount and unit. */
	private record Value(String suffix, double amount, String unit) {
	}

	private void emit(long timestamp, Meter.Id id, List<Value> values) {
		ObjectNode document = JSON.createObjectNode();
		ObjectNode aws = document.putObject("_aws");
		aws.put("Timestamp", timestamp);
		ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
		directive.put("Namespace", this.namespace);
		ArrayNode dimensions = directive.putArray("Dimensions").addArray();
		dimensions.add("service");
		document.put("service", this.service);
		List<Tag> tags = new ArrayList<>(id.getTags());
		for (Tag tag : tags) {
			dimensions.add(tag.getKey());
			document.put(tag.getKey(), tag.getValue());
		}
		ArrayNode metrics = directive.putArray("Metrics");
		values.forEach((value) -> {
			String name = id.getName() + value.suffix();
			metrics.addObject().put("Name", name).put("Unit", value.unit());
			document.put(name, value.amount());
		});
		this.out.accept(JSON.writeValueAsString(document));
	}

}
