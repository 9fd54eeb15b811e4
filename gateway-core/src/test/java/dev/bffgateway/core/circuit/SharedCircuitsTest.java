package dev.bffgateway.core.circuit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sharing logic, two instances over one store (in memory; the DynamoDB store runs against moto in it/): each
 * instance's own Resilience4j breakers count, the verdicts are shared.
 */
class SharedCircuitsTest {

	private static final CircuitBreakerConfig CONFIG = CircuitBreakerConfig.custom()
		.slidingWindowSize(2)
		.minimumNumberOfCalls(2)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofSeconds(10))
		.permittedNumberOfCallsInHalfOpenState(1)
		.build();

	private final AtomicLong now = new AtomicLong(Instant.parse("2026-11-27T12:00:00Z").toEpochMilli());

	private final Clock clock = new Clock() {

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(SharedCircuitsTest.this.now.get());
		}

	};

	/** The monotonic clock, stepped with the wall clock here. */
	private final AtomicLong nanos = new AtomicLong();

	private final MemoryCircuitStore store = new MemoryCircuitStore();

	private final Map<String, String> overrides = new HashMap<>();

	private final Instance a = new Instance("a");

	private final Instance b = new Instance("b");

	/** One BFF instance: its own breakers, sharing through the store. */
	private final class Instance {

		final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CONFIG);

		final SimpleMeterRegistry meters = new SimpleMeterRegistry();

		final SharedCircuits circuits;

		Instance(String name) {
			this.registry.circuitBreaker("activity");
			this.circuits = new SharedCircuits(this.registry, SharedCircuitsTest.this.store,
					() -> {
						Map<String, CircuitOverride> read = new HashMap<>();
						SharedCircuitsTest.this.overrides.forEach((k, v) -> read.put(k, CircuitOverride.valueOf(v)));
						return read;
					}, name, SharedCircuitsTest.this.clock, SharedCircuitsTest.this.nanos::get,
					new SharedCircuits.Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO),
					this.meters, () -> {
					});
		}

		CircuitBreaker activity() {
			return this.registry.circuitBreaker("activity");
		}

		State state() {
			return activity().getState();
		}

		void fail() {
			activity().onError(1, TimeUnit.MILLISECONDS, new IOException("500"));
		}

		void succeed() {
			activity().onSuccess(1, TimeUnit.MILLISECONDS);
		}

	}

	private void openOnA() {
		this.a.fail();
		this.a.fail();
		assertThat(this.a.state()).isEqualTo(State.OPEN);
	}

	@Test
	void aBreakerThatOpensOpensTheCircuitForEveryInstance() {
		openOnA();
		assertThat(this.store.items).as("the request path only queues the write").isEmpty();

		this.a.circuits.sync();
		this.b.circuits.sync();

		Verdict verdict = this.store.items.get("activity");
		assertThat(verdict.open()).isTrue();
		assertThat(verdict.openedBy()).isEqualTo("a");
		assertThat(verdict.openUntil()).isEqualTo(this.now.get() + 10_000);
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);
		assertThat(this.a.state()).as("the opener is held like everyone").isEqualTo(State.FORCED_OPEN);
		assertThat(this.b.activity().tryAcquirePermission()).isFalse();
		assertThat(this.b.circuits.verdict("activity")).isEqualTo("OPEN");
	}

	@Test
	void afterTheWindowExactlyOneInstanceProbesAndItsSuccessClosesTheCircuitForAll() {
		openOnA();
		this.a.circuits.sync();
		this.b.circuits.sync();
		this.now.addAndGet(10_000);

		this.b.circuits.sync();
		this.a.circuits.sync();

		assertThat(this.b.state()).isEqualTo(State.HALF_OPEN);
		assertThat(this.a.state()).as("the lease is b's").isEqualTo(State.FORCED_OPEN);
		assertThat(this.store.items.get("activity").probeBy()).isEqualTo("b");

		assertThat(this.b.activity().tryAcquirePermission()).isTrue();
		this.b.succeed();
		assertThat(this.b.state()).isEqualTo(State.CLOSED);
		this.b.circuits.sync();
		assertThat(this.store.items.get("activity").open()).isFalse();
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.CLOSED);
		assertThat(this.a.activity().tryAcquirePermission()).isTrue();
	}

	@Test
	void aFailedProbeOpensANewWindowForAll() {
		openOnA();
		this.a.circuits.sync();
		this.now.addAndGet(10_000);
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.HALF_OPEN);
		long version = this.store.items.get("activity").version();

		this.a.fail();
		assertThat(this.a.state()).isEqualTo(State.OPEN);
		this.a.circuits.sync();
		this.b.circuits.sync();

		Verdict verdict = this.store.items.get("activity");
		assertThat(verdict.version()).isEqualTo(version + 1);
		assertThat(verdict.openUntil()).isEqualTo(this.now.get() + 10_000);
		assertThat(verdict.probeBy()).isNull();
		assertThat(this.a.state()).isEqualTo(State.FORCED_OPEN);
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void aProbeLeaseThatRunsOutGoesToAnotherInstance() {
		openOnA();
		this.a.circuits.sync();
		this.now.addAndGet(10_000);
		this.a.circuits.sync();
		this.b.circuits.sync();
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);

		this.now.addAndGet(5_000);
		this.b.circuits.sync();

		assertThat(this.b.state()).isEqualTo(State.HALF_OPEN);
		assertThat(this.store.items.get("activity").probeBy()).isEqualTo("b");
	}

	@Test
	void aStoreThatFailsLeavesEachInstanceToItsOwnBreakersAndItsReturnResyncs() {
		openOnA();
		this.a.circuits.sync();
		this.b.circuits.sync();
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);

		this.store.down = true;
		this.b.circuits.sync();

		assertThat(this.b.circuits.mode()).isEqualTo(SharedCircuits.Mode.LOCAL_ONLY);
		assertThat(this.b.state()).as("let go: open on its own, half-open after its own wait").isEqualTo(State.OPEN);
		assertThat(this.b.meters.get("bff.circuits.store.shared").gauge().value()).isZero();
		assertThat(this.b.meters.get("bff.circuits.store.syncs").tag("outcome", "failed").counter().count()).isEqualTo(1);

		this.store.down = false;
		this.b.circuits.sync();

		assertThat(this.b.circuits.mode()).isEqualTo(SharedCircuits.Mode.SHARED);
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void whatABreakerDecidedWhileTheStoreFailedIsWrittenWhenItIsBack() {
		this.store.down = true;
		openOnA();
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.OPEN);

		this.store.down = false;
		this.a.circuits.sync();

		assertThat(this.store.items.get("activity").open()).isTrue();
		this.b.circuits.sync();
		assertThat(this.b.state()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void anOperatorOverrideWinsOverEveryVerdictAndAutoLetsGo() {
		this.overrides.put("activity", "FORCED_OPEN");
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.FORCED_OPEN);
		assertThat(this.a.circuits.override("activity")).isEqualTo(CircuitOverride.FORCED_OPEN);

		this.overrides.put("activity", "DISABLED");
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.DISABLED);

		this.overrides.put("activity", "AUTO");
		this.a.circuits.sync();
		assertThat(this.a.state()).isEqualTo(State.CLOSED);
		assertThat(this.store.items).as("an override is never a verdict").isEmpty();
		assertThat(this.a.meters.get("bff.circuits.overrides").tag("override", "FORCED_OPEN").counter().count())
			.isEqualTo(1);
	}

	@Test
	void aBreakerCreatedAfterASyncTakesTheOpenVerdictAtOnce() {
		this.store.open("orders:new", "c", this.now.get() + 10_000, this.now.get());
		this.a.circuits.sync();
		int writes = this.store.writes;

		CircuitBreaker created = this.a.registry.circuitBreaker("orders:new");

		assertThat(created.getState()).isEqualTo(State.FORCED_OPEN);
		assertThat(this.store.writes).as("no store call on the request path").isEqualTo(writes);
	}

	@Test
	void staleAfterTheRefreshInterval() {
		assertThat(this.a.circuits.stale()).isTrue();
		this.a.circuits.sync();
		assertThat(this.a.circuits.stale()).isFalse();
		this.nanos.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(this.a.circuits.stale()).isFalse();
		this.nanos.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(this.a.circuits.stale()).isTrue();
		this.a.circuits.sync();
		assertThat(this.a.circuits.neverSynced()).isFalse();
		this.a.circuits.markStale();
		assertThat(this.a.circuits.stale()).isTrue();
		assertThat(this.a.circuits.neverSynced()).isTrue();
	}

}
