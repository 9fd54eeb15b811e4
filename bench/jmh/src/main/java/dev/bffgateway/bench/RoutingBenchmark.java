package dev.bffgateway.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTable;
import dev.bffgateway.core.routing.RouteTableParser;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.SideSelector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The strangler hot path per request: finding the route in a 20-route table and picking the side.
 *
 * <pre>
 * ./mvnw -q -Pbench -pl bench/jmh -am -DskipTests package
 * java -jar bench/jmh/target/benchmarks.jar RoutingBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RoutingBenchmark {

	private RouteTable table;

	private Route route;

	private final SideSelector selector = new SideSelector();

	private final String[] users = new String[1024];

	private int next;

	@Setup
	public void setUp() {
		StringBuilder yaml = new StringBuilder("routes:\n");
		for (int i = 0; i < 19; i++) {
			yaml.append("  - id: service-").append(i).append('\n')
				.append("    paths: [/service-").append(i).append(", /service-").append(i).append("/**]\n")
				.append("    legacy-uri: http://legacy:8080\n    new-uri: http://new-").append(i).append(":8080\n")
				.append("    weight: 30\n    sticky:\n      header: X-User-Id\n");
		}
		yaml.append("  - id: orders\n    paths: [\"/orders/{id}\", /orders/**]\n    methods: [GET, POST]\n")
			.append("    legacy-uri: http://legacy:8080\n    new-uri: http://orders:8080\n    weight: 30\n")
			.append("    sticky:\n      header: X-User-Id\n");
		this.table = new RouteTableParser().parse("bench.yml", yaml.toString(), 1, Instant.EPOCH);
		this.route = this.table.match("GET", "/orders/42").orElseThrow();
		for (int i = 0; i < this.users.length; i++) {
			this.users[i] = "user-" + i;
		}
	}

	@Benchmark
	public Side selectSticky() {
		return this.selector.select(this.route, this.users[(this.next++) & 1023]);
	}

	@Benchmark
	public Side selectPerRequest() {
		return this.selector.select(this.route, null);
	}

	@Benchmark
	public Route lookupLastOfTwentyRoutes() {
		return this.table.match("GET", "/orders/42/items").orElseThrow();
	}

	@Benchmark
	public boolean lookupMiss() {
		return this.table.match("GET", "/dashboard").isPresent();
	}

}
