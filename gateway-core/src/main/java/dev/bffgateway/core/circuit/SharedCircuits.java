package dev.bffgateway.core.circuit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import dev.bffgateway.core.resilience.SingleFlight;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the verdicts of one BFF's circuit breakers across its instances. Counting stays in each instance's
 * Resilience4j breakers; {@link #sync()}, run off the request path (a background task in a container, the start of
 * an invocation on Lambda), does everything that touches the store:
 * <ol>
 * <li>writes what this instance's breakers decided since the last sync: a breaker that opened opens the circuit
 * for all (unless it is open already), the probe holder's half-open outcome closes it for all or opens a new
 * window;</li>
 * <li>reads every verdict, and holds each breaker under an open verdict in {@code FORCED_OPEN} (no call goes
 * through, nothing is counted) until the verdict's window ends; then it competes for the probe lease, and only
 * the holder moves its breaker to {@code HALF_OPEN}, where Resilience4j lets its permitted calls through and
 * decides; everyone else stays held;</li>
 * <li>applies the operator's overrides ({@code FORCED_OPEN}, {@code DISABLED}), read at most every
 * {@code override-max-age}; an override wins over any verdict.</li>
 * </ol>
 * The request path never waits on the store: a breaker's transition only queues a write and wakes the refresher,
 * and a breaker created after a sync (a route's, on its first request) takes the verdict already read. When the
 * store fails (unreachable, throttled, slow), the instance goes on alone: held breakers are let go to their own
 * open state and count for themselves again, one WARN line says so, {@code bff.circuits.store.shared} drops to 0;
 * the next sync that succeeds says so in one INFO line and writes what this instance decided meanwhile (a breaker
 * that opened alone and is still open opens the circuit for all).
 *
 * <p>Counted: {@code bff.circuits.store.syncs{outcome=ok|failed}}, {@code bff.circuits.verdicts{circuit,event}}
 * ({@code opened}, {@code held}, {@code probe}, {@code closed}, {@code reopened}, {@code released}),
 * {@code bff.circuits.overrides{circuit,override}} each time an override is applied. Thread-safe.
 */
public final class SharedCircuits implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SharedCircuits.class);

	/** Whether the instance shares verdicts now. */
	public enum Mode {

		/** The store answers: verdicts are read and written. */
		SHARED,

		/** The store failed at the last sync: every breaker counts for itself. */
		LOCAL_ONLY

	}

	/** Why this instance holds a breaker where it is. */
	private enum Hold {

		NONE, SHARED, PROBE, OVERRIDE

	}

	/** What this instance knows of one of its breakers. */
	private static final class Local {

		volatile Hold hold = Hold.NONE;

		/** The version of the verdict held or probed. */
		volatile long version;

	}

	/** A write this instance's breakers asked for, made at the next sync. */
	private sealed interface Write {

	}

	private record Open() implements Write {
	}

	private record Close(long version) implements Write {
	}

	private record Reopen(long version) implements Write {
	}

	/**
	 * How the fleet shares.
	 * @param refreshInterval how old the verdicts read may get before the next read
	 * @param probeLease how long a probe lease lasts: its holder's outcome must come within it, else another
	 * instance may probe
	 * @param overrideMaxAge how old the overrides read may get before the next read
	 */
	public record Settings(Duration refreshInterval, Duration probeLease, Duration overrideMaxAge) {
	}

	private final CircuitBreakerRegistry registry;

	private final CircuitStore store;

	private final @Nullable OverrideSource overrideSource;

	private final String instance;

	private final Clock clock;

	private final Settings settings;

	private final MeterRegistry meters;

	private final Map<String, Local> locals = new ConcurrentHashMap<>();

	private final Map<String, Write> pending = new ConcurrentHashMap<>();

	private final ReentrantLock syncing = new ReentrantLock();

	private final Semaphore work = new Semaphore(0);

	private final Counter syncsOk;

	private final Counter syncsFailed;

	private volatile Map<String, Verdict> verdicts = Map.of();

	private volatile Map<String, CircuitOverride> overrides = Map.of();

	/** When the verdicts were last read, wall time, for operators. */
	private volatile long syncedAt = Long.MIN_VALUE;

	/** Whether the verdicts have been read since the start, or since a restore, and when, monotonic. */
	private volatile boolean fresh;

	private volatile long syncedNanos;

	private volatile boolean overridesRead;

	private volatile long overridesReadNanos;

	private final LongSupplier nanoTime;

	private volatile Mode mode = Mode.SHARED;

	private final SingleFlight flight = new SingleFlight(this::sync, "shared-circuits-sync");

	private final AutoCloseable resources;

	/** Set while this class moves a breaker, so its listener does not take the move for the breaker's decision. */
	private static final ThreadLocal<Boolean> MOVING = ThreadLocal.withInitial(() -> false);

	/**
	 * @param registry the breakers whose verdicts are shared: all of them, those created later included
	 * @param store the fleet's verdicts
	 * @param overrideSource the operator's overrides, or {@code null} for none
	 * @param instance this instance's name in the store
	 * @param clock the time verdicts are written in (open-until, lease ends): the fleet's shared wall clock
	 * @param nanoTime a monotonic clock for the ages of what was read ({@code System::nanoTime})
	 * @param settings refresh, lease and override ages
	 * @param meters where syncs, verdicts and overrides are counted
	 * @param resources closed with this (the store's clients)
	 */
	SharedCircuits(CircuitBreakerRegistry registry, CircuitStore store, @Nullable OverrideSource overrideSource,
			String instance, Clock clock, LongSupplier nanoTime, Settings settings, MeterRegistry meters,
			AutoCloseable resources) {
		this.resources = resources;
		this.nanoTime = nanoTime;
		this.registry = registry;
		this.store = store;
		this.overrideSource = overrideSource;
		this.instance = instance;
		this.clock = clock;
		this.settings = settings;
		this.meters = meters;
		this.syncsOk = Counter.builder("bff.circuits.store.syncs").tag("outcome", "ok").register(meters);
		this.syncsFailed = Counter.builder("bff.circuits.store.syncs").tag("outcome", "failed").register(meters);
		Gauge.builder("bff.circuits.store.shared", this, (shared) -> (shared.mode == Mode.SHARED) ? 1 : 0)
			.description("1 while verdicts are shared, 0 while the store fails and every breaker counts for itself")
			.register(meters);
		registry.getAllCircuitBreakers().forEach(this::watch);
		registry.getEventPublisher().onEntryAdded((event) -> watch(event.getAddedEntry()));
	}

	/** @return this instance's name in the store ({@code openedBy}, {@code probeBy}) */
	public String instance() {
		return this.instance;
	}

	/** @return how old the verdicts read may get */
	Duration refreshInterval() {
		return this.settings.refreshInterval();
	}

	/** @return whether verdicts are shared now, or every breaker counts for itself */
	public Mode mode() {
		return this.mode;
	}

	/** @return when the verdicts were last read, or {@code null} before the first read */
	public @Nullable Instant lastSync() {
		long at = this.syncedAt;
		return (at == Long.MIN_VALUE) ? null : Instant.ofEpochMilli(at);
	}

	/** @return the operator's overrides in force, by circuit (absent: {@link CircuitOverride#AUTO}) */
	public Map<String, CircuitOverride> overrides() {
		return new TreeMap<>(this.overrides);
	}

	/** @return the operator's override of one circuit */
	public CircuitOverride override(String circuit) {
		return this.overrides.getOrDefault(circuit, CircuitOverride.AUTO);
	}

	/** @return the fleet's verdict on one circuit: {@code OPEN}, {@code CLOSED}, or {@code null} when it has none */
	public @Nullable String verdict(String circuit) {
		Verdict verdict = this.verdicts.get(circuit);
		return (verdict == null) ? null : (verdict.open() ? "OPEN" : "CLOSED");
	}

	/** @return whether the verdicts read are older than the refresh interval (or were never read) */
	public boolean stale() {
		return !this.fresh || this.nanoTime.getAsLong() - this.syncedNanos >= this.settings.refreshInterval().toNanos();
	}

	/** @return whether no sync has ended since the start or the last {@link #markStale()} */
	public boolean neverSynced() {
		return !this.fresh;
	}

	/** @return whether a breaker has decided something the store does not know yet */
	public boolean hasPendingWrites() {
		return !this.pending.isEmpty();
	}

	/** Forgets when the verdicts were read, so the next chance to sync takes it (after a SnapStart restore). */
	public void markStale() {
		this.fresh = false;
		this.overridesRead = false;
	}

	/**
	 * Syncs on another thread and waits for it at most {@code timeout}: what a Lambda invocation does before it is
	 * served. A sync that takes longer goes on while the invocation is served (until the sandbox is frozen; the
	 * next invocation waits for it again), and a sync already under way is waited for rather than started again.
	 * @param timeout the longest wait
	 * @return whether the sync ended within the wait
	 */
	public boolean syncWithin(Duration timeout) {
		return this.flight.runWithin(timeout);
	}

	@Override
	public void close() throws Exception {
		this.resources.close();
	}

	/**
	 * Waits until a breaker asks for a write or the timeout passes: the background refresher's pause.
	 * @throws InterruptedException when the refresher is stopped
	 */
	void awaitWork(Duration timeout) throws InterruptedException {
		if (this.work.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.work.drainPermits();
		}
	}

	/**
	 * Writes what this instance's breakers decided, reads the fleet's verdicts and the operator's overrides, and
	 * holds or lets go of each breaker accordingly. Never throws: a store that fails turns the instance local-only.
	 * Runs once at a time; a call while another runs returns at once.
	 */
	public void sync() {
		if (!this.syncing.tryLock()) {
			return;
		}
		try {
			long now = this.clock.millis();
			long started = this.nanoTime.getAsLong();
			readOverrides(started);
			try {
				flush(now);
				Map<String, Verdict> read = new HashMap<>();
				for (Verdict verdict : this.store.read()) {
					read.put(verdict.circuit(), verdict);
				}
				this.verdicts = Map.copyOf(read);
				if (this.mode == Mode.LOCAL_ONLY) {
					this.mode = Mode.SHARED;
					logger.info("Shared circuit state: the store answers again; verdicts are shared again");
				}
				apply(now);
				this.syncsOk.increment();
			}
			catch (RuntimeException ex) {
				this.syncsFailed.increment();
				if (this.mode == Mode.SHARED) {
					this.mode = Mode.LOCAL_ONLY;
					logger.warn("Shared circuit state: the store failed ({}); every breaker counts for itself until it "
							+ "answers again", ex.getClass().getSimpleName());
					releaseHolds();
				}
				apply(now);
			}
			finally {
				this.syncedAt = now;
				this.syncedNanos = started;
				this.fresh = true;
			}
		}
		finally {
			this.syncing.unlock();
		}
	}

	private void readOverrides(long nanos) {
		OverrideSource source = this.overrideSource;
		boolean young = this.overridesRead
				&& nanos - this.overridesReadNanos < this.settings.overrideMaxAge().toNanos();
		if (source == null || young) {
			return;
		}
		try {
			this.overrides = Map.copyOf(source.read());
			this.overridesRead = true;
			this.overridesReadNanos = nanos;
		}
		catch (RuntimeException ex) {
			// the operator's last word stands until the parameters can be read again
			logger.debug("Shared circuit state: the overrides could not be read", ex);
		}
	}

	private void watch(CircuitBreaker breaker) {
		breaker.getEventPublisher().onStateTransition((event) -> onTransition(breaker, event.getStateTransition()));
		adopt(breaker);
	}

	/**
	 * A breaker created after a sync takes what is known already: an override, or an open verdict (held, even
	 * when its window has ended: the next sync competes for the probe). No store call: this runs on the request
	 * path.
	 */
	private void adopt(CircuitBreaker breaker) {
		String name = breaker.getName();
		Local local = local(name);
		if (overridden(breaker, local)) {
			return;
		}
		Verdict verdict = this.verdicts.get(name);
		if (this.mode == Mode.SHARED && verdict != null && verdict.open()) {
			hold(breaker, local, verdict);
		}
	}

	private void onTransition(CircuitBreaker breaker, StateTransition transition) {
		if (MOVING.get()) {
			return;
		}
		Local local = local(breaker.getName());
		State to = transition.getToState();
		if (to == State.OPEN) {
			this.pending.put(breaker.getName(),
					(local.hold == Hold.PROBE) ? new Reopen(local.version) : new Open());
			this.work.release();
		}
		else if (to == State.CLOSED && transition.getFromState() == State.HALF_OPEN && local.hold == Hold.PROBE) {
			this.pending.put(breaker.getName(), new Close(local.version));
			this.work.release();
		}
	}

	/** Makes the writes queued since the last sync; one the store refuses for a failure stays queued. */
	private void flush(long now) {
		for (String circuit : List.copyOf(this.pending.keySet())) {
			Write write = this.pending.remove(circuit);
			if (write == null) {
				continue;
			}
			try {
				write(circuit, write, now);
			}
			catch (RuntimeException ex) {
				this.pending.putIfAbsent(circuit, write);
				throw ex;
			}
		}
	}

	private void write(String circuit, Write write, long now) {
		Local local = local(circuit);
		CircuitBreaker breaker = this.registry.getAllCircuitBreakers()
			.stream()
			.filter((b) -> b.getName().equals(circuit))
			.findFirst()
			.orElse(null);
		long until = now + ((breaker != null) ? openWait(breaker) : 0);
		switch (write) {
			case Open open -> {
				// a breaker that opened while the store failed, and has closed since, has nothing left to say
				if (breaker != null && breaker.getState() != State.OPEN) {
					return;
				}
				if (this.store.open(circuit, this.instance, until, now)) {
					count(circuit, "opened");
					logger.debug("Circuit '{}' opened for the fleet until {}", circuit, Instant.ofEpochMilli(until));
				}
			}
			case Close close -> {
				if (this.store.close(circuit, close.version(), this.instance, now)) {
					local.hold = Hold.NONE;
					count(circuit, "closed");
				}
			}
			case Reopen reopen -> {
				if (this.store.reopen(circuit, reopen.version(), this.instance, until, now)) {
					count(circuit, "reopened");
				}
				local.hold = Hold.NONE;
			}
		}
	}

	/** Holds and lets go of every breaker as the overrides and, while shared, the verdicts say. */
	private void apply(long now) {
		for (CircuitBreaker breaker : this.registry.getAllCircuitBreakers()) {
			String name = breaker.getName();
			Local local = local(name);
			if (overridden(breaker, local)) {
				continue;
			}
			if (local.hold == Hold.OVERRIDE) {
				move(breaker, State.CLOSED);
				local.hold = Hold.NONE;
				count(name, "released");
			}
			if (this.mode != Mode.SHARED) {
				continue;
			}
			Verdict verdict = this.verdicts.get(name);
			if (verdict == null || !verdict.open()) {
				if (local.hold == Hold.SHARED) {
					move(breaker, State.CLOSED);
					local.hold = Hold.NONE;
					count(name, "released");
				}
				continue;
			}
			if (local.hold == Hold.PROBE && local.version == verdict.version() && verdict.probing(now)
					&& this.instance.equals(verdict.probeBy())) {
				continue; // this instance probes: its half-open breaker decides
			}
			hold(breaker, local, verdict);
			if (now >= verdict.openUntil() && !verdict.probing(now) && this.store.acquireProbe(name,
					verdict.version(), this.instance, now + this.settings.probeLease().toMillis(), now)) {
				move(breaker, State.HALF_OPEN);
				local.hold = Hold.PROBE;
				local.version = verdict.version();
				count(name, "probe");
			}
		}
	}

	private void hold(CircuitBreaker breaker, Local local, Verdict verdict) {
		if (breaker.getState() != State.FORCED_OPEN || local.hold != Hold.SHARED) {
			move(breaker, State.FORCED_OPEN);
			count(breaker.getName(), "held");
		}
		local.hold = Hold.SHARED;
		local.version = verdict.version();
	}

	/** @return whether the operator overrides the breaker, which is then held as the override says */
	private boolean overridden(CircuitBreaker breaker, Local local) {
		CircuitOverride override = override(breaker.getName());
		if (override == CircuitOverride.AUTO) {
			return false;
		}
		State state = (override == CircuitOverride.FORCED_OPEN) ? State.FORCED_OPEN : State.DISABLED;
		if (breaker.getState() != state || local.hold != Hold.OVERRIDE) {
			move(breaker, state);
			Counter.builder("bff.circuits.overrides")
				.tag("circuit", breaker.getName())
				.tag("override", override.name())
				.register(this.meters)
				.increment();
		}
		local.hold = Hold.OVERRIDE;
		return true;
	}

	/** Going local-only: a breaker held for the fleet opens on its own, and counts for itself after its wait. */
	private void releaseHolds() {
		for (CircuitBreaker breaker : this.registry.getAllCircuitBreakers()) {
			Local local = local(breaker.getName());
			if (local.hold == Hold.SHARED) {
				move(breaker, State.OPEN);
				count(breaker.getName(), "released");
			}
			if (local.hold == Hold.SHARED || local.hold == Hold.PROBE) {
				local.hold = Hold.NONE;
			}
		}
	}

	/** Moves a breaker, marking the move as this class's so its listener does not take it for a decision. */
	private void move(CircuitBreaker breaker, State state) {
		if (breaker.getState() == state) {
			return;
		}
		MOVING.set(true);
		try {
			switch (state) {
				case CLOSED -> breaker.transitionToClosedState();
				case OPEN -> breaker.transitionToOpenState();
				case HALF_OPEN -> breaker.transitionToHalfOpenState();
				case FORCED_OPEN -> breaker.transitionToForcedOpenState();
				case DISABLED -> breaker.transitionToDisabledState();
				case METRICS_ONLY -> breaker.transitionToMetricsOnlyState();
			}
		}
		finally {
			MOVING.set(false);
		}
	}

	private static long openWait(CircuitBreaker breaker) {
		return breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
	}

	private Local local(String circuit) {
		return this.locals.computeIfAbsent(circuit, (name) -> new Local());
	}

	private void count(String circuit, String event) {
		Counter.builder("bff.circuits.verdicts").tag("circuit", circuit).tag("event", event).register(this.meters)
			.increment();
	}

}
