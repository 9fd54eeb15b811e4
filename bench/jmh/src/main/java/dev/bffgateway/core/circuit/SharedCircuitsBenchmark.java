package dev.bffgateway.core.circuit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * What shared circuit state adds to a request: a call through a breaker that {@link SharedCircuits} watches
 * against the same call through a breaker alone, and the check a Lambda invocation makes before it is served
 * (whether the verdicts are stale). The store is never on the request path, so it is not in the measure; it sits in
 * this package only to reach the package-private constructor, with a store that answers from memory.
 *
 * <pre>
 * ./mvnw -q -Pbench -pl bench/jmh -am -DskipTests package
 * java -jar bench/jmh/target/benchmarks.jar SharedCircuitsBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SharedCircuitsBenchmark {

	private final Supplier<Long> call = System::nanoTime;

	private CircuitBreaker alone;

	private CircuitBreaker shared;

	private SharedCircuits circuits;

	@Setup
	public void setUp() {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.waitDurationInOpenState(Duration.ofSeconds(10))
			.writableStackTraceEnabled(false)
			.build();
		// as in the BFF, every breaker has a state-transition consumer already (gateway-core logs each transition),
		// so Resilience4j creates an event per call either way; shared state adds a second consumer
		this.alone = CircuitBreakerRegistry.of(config).circuitBreaker("activity");
		this.alone.getEventPublisher().onStateTransition((event) -> {
		});
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
		this.shared = registry.circuitBreaker("activity");
		this.shared.getEventPublisher().onStateTransition((event) -> {
		});
		this.circuits = new SharedCircuits(registry, new Empty(), null, "bench", Clock.systemUTC(), System::nanoTime,
				new SharedCircuits.Settings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)),
				new SimpleMeterRegistry(), () -> {
				});
		this.circuits.sync();
	}

	@Benchmark
	public Long breakerAlone() {
		return this.alone.executeSupplier(this.call);
	}

	@Benchmark
	public Long breakerShared() {
		return this.shared.executeSupplier(this.call);
	}

	@Benchmark
	public boolean invocationStaleCheck() {
		return this.circuits.stale();
	}

	/** A table with no verdicts. */
	private static final class Empty implements CircuitStore {

		@Override
		public List<Verdict> read() {
			return List.of();
		}

		@Override
		public boolean open(String circuit, String instance, long openUntil, long now) {
			return false;
		}

		@Override
		public boolean acquireProbe(String circuit, long version, String instance, long leaseUntil, long now) {
			return false;
		}

		@Override
		public boolean close(String circuit, long version, String instance, long now) {
			return false;
		}

		@Override
		public boolean reopen(String circuit, long version, String instance, long openUntil, long now) {
			return false;
		}

	}

}
