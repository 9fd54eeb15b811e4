package dev.bffgateway.core.circuit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table's conditional writes, in memory, for tests of the sharing logic without a store process; the DynamoDB
 * store itself runs against moto in it/ ({@code SharedCircuitStateTest}). {@link #down} makes every call fail, as
 * an unreachable store does.
 */
final class MemoryCircuitStore implements CircuitStore {

	final Map<String, Verdict> items = new ConcurrentHashMap<>();

	volatile boolean down;

	int writes;

	@Override
	public List<Verdict> read() {
		check();
		return List.copyOf(this.items.values());
	}

	@Override
	public synchronized boolean open(String circuit, String instance, long openUntil, long now) {
		check();
		Verdict verdict = this.items.get(circuit);
		if (verdict != null && verdict.open()) {
			return false;
		}
		return write(new Verdict(circuit, true, instance, openUntil, version(verdict) + 1, null, 0));
	}

	@Override
	public synchronized boolean acquireProbe(String circuit, long version, String instance, long leaseUntil,
			long now) {
		check();
		Verdict verdict = this.items.get(circuit);
		if (verdict == null || !verdict.open() || verdict.version() != version || verdict.openUntil() > now
				|| verdict.probeUntil() > now) {
			return false;
		}
		return write(new Verdict(circuit, true, verdict.openedBy(), verdict.openUntil(), version, instance, leaseUntil));
	}

	@Override
	public synchronized boolean close(String circuit, long version, String instance, long now) {
		check();
		Verdict verdict = this.items.get(circuit);
		if (verdict == null || verdict.version() != version || !instance.equals(verdict.probeBy())) {
			return false;
		}
		return write(new Verdict(circuit, false, verdict.openedBy(), 0, version + 1, null, 0));
	}

	@Override
	public synchronized boolean reopen(String circuit, long version, String instance, long openUntil, long now) {
		check();
		Verdict verdict = this.items.get(circuit);
		if (verdict == null || verdict.version() != version || !instance.equals(verdict.probeBy())) {
			return false;
		}
		return write(new Verdict(circuit, true, instance, openUntil, version + 1, null, 0));
	}

	private boolean write(Verdict verdict) {
		this.items.put(verdict.circuit(), verdict);
		this.writes++;
		return true;
	}

	private static long version(Verdict verdict) {
		return (verdict != null) ? verdict.version() : 0;
	}

	private void check() {
		if (this.down) {
			throw new IllegalStateException("the store is unreachable");
		}
	}

}
