package dev.bffgateway.core.circuit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code sharedCircuits} in {@code /actuator/health}: always {@code UP} (the BFF answers, alone if it must), with
 * {@code store: SHARED} or {@code DEGRADED} (the store failed: every breaker counts for itself), the last read, and
 * the operator's overrides in force.
 */
final class SharedCircuitsHealthIndicator implements HealthIndicator {

	private final SharedCircuits circuits;

	private final String table;

	SharedCircuitsHealthIndicator(SharedCircuits circuits, String table) {
		this.circuits = circuits;
		this.table = table;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", (this.circuits.mode() == SharedCircuits.Mode.SHARED) ? "SHARED" : "DEGRADED");
		details.put("table", this.table);
		details.put("instance", this.circuits.instance());
		details.put("lastSync", String.valueOf(this.circuits.lastSync()));
		details.put("overrides", this.circuits.overrides());
		return Health.up().withDetails(details).build();
	}

}
