package dev.bffgateway.core.aggregation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DegradationTest {

	@Test
	void tagsAreTheStableLowerCaseNames() {
		// metric tag values: dashboards and alerts select on these strings
		assertThat(Degradation.values()).extracting(Degradation::tag)
			.containsExactly("timeout", "breaker_open", "bulkhead_full", "error_status", "unreadable", "contract", "unreachable",
					"deadline", "cancelled", "error");
	}

}
