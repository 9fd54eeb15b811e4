package dev.bffgateway.bench;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTable;
import dev.bffgateway.core.routing.StickyKey;
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
		// the table a 20-route file makes (RouteTableParser reads files into exactly these)
		List<Route> routes = new ArrayList<>();
		StickyKey user = new StickyKey.Header("X-User-Id");
		URI legacy = URI.create("http://legacy:8080");
		for (int i = 0; i < 19; i++) {
			routes.add(new Route("service-" + i, List.of("/service-" + i, "/service-" + i + "/**"), Set.of(), legacy,
					URI.create("http://new-" + i + ":8080"), 30, user));
		}
		routes.add(new Route("orders", List.of("/orders/{id}", "/orders/**"), Set.of("GET", "POST"), legacy,
				URI.create("http://orders:8080"), 30, user));
		this.table = new RouteTable("bench", 1, Instant.EPOCH, routes);
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
