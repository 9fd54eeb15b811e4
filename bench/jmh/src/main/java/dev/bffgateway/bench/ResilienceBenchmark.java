package dev.bffgateway.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
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
 * What the resilience decoration of a dependency call costs, with the BFF's own breaker and bulkhead configuration
 * (gateway-core's default settings): a direct call, the same call through the breaker, through breaker and
 * bulkhead as DownstreamClient makes it, and a call the open breaker rejects. The call itself does next to nothing,
 * so the differences are the decoration.
 *
 * <pre>
 * ./mvnw -q -Pbench -pl bench/jmh -am -DskipTests package
 * java -jar bench/jmh/target/benchmarks.jar ResilienceBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ResilienceBenchmark {

	private final Supplier<Long> call = System::nanoTime;

	private CircuitBreaker closed;

	private CircuitBreaker open;

	private Bulkhead bulkhead;

	@Setup
	public void setUp() {
		// gateway-core's configs.default (META-INF/gateway-defaults.properties)
		CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.slowCallRateThreshold(100)
			.slowCallDurationThreshold(Duration.ofMillis(800))
			.waitDurationInOpenState(Duration.ofSeconds(10))
			.permittedNumberOfCallsInHalfOpenState(3)
			.writableStackTraceEnabled(false)
			.clock(Clock.systemUTC())
			.build();
		this.closed = CircuitBreaker.of("closed", breaker);
		this.open = CircuitBreaker.of("open", breaker);
		this.open.transitionToOpenState();
		this.bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.custom()
			.maxConcurrentCalls(100)
			.maxWaitDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build());
	}

	@Benchmark
	public Long direct() {
		return this.call.get();
	}

	@Benchmark
	public Long breaker() {
		return this.closed.executeSupplier(this.call);
	}

	@Benchmark
	public Long breakerAndBulkhead() {
		return this.closed.executeSupplier(() -> this.bulkhead.executeSupplier(this.call));
	}

	@Benchmark
	public Object rejectedByOpenBreaker() {
		try {
			return this.open.executeSupplier(this.call);
		}
		catch (CallNotPermittedException rejected) {
			return rejected;
		}
	}

}
