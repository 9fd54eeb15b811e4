package dev.bffgateway.core.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard endpoint.
 *
 * @param deadline the longest a dashboard waits for all its parts together; parts still running then are
 * degraded. Keep it above the dependencies' read timeouts so a slow part is reported as {@code timeout}
 * rather than {@code deadline}. Default 1s.
 */
@ConfigurationProperties("gateway.dashboard")
record DashboardProperties(@DefaultValue("1s") Duration deadline) {

	public DashboardProperties {
		if (deadline.isNegative() || deadline.isZero()) {
			throw new IllegalArgumentException(
					"gateway.dashboard.deadline must be positive, but was " + deadline.toMillis() + "ms");
		}
	}

}
