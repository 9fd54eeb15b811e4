package dev.bffgateway.core.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

class FirewallTest {

	/** The loop must agree with Spring Security's own regular expressions, which it replaces for speed. */
	@Test
	void headerChecksAgreeWithTheDefaultFirewall() {
		List<String> samples = List.of("", "application/json", "Bearer eyJhbGciOi.x-y_z", "tab\there", "line\nfeed",
				"carriage\rreturn", "nul\0byte", "bell\u0007", "del\u007f", "é ü 中文", "emoji \uD83D\uDE00",
				"unassigned \u0378", "c1 control \u0085", "lone surrogate \uD800", "\u2028");
		for (String sample : samples) {
			assertThat(Firewall.clean(sample, true)).as("value %s", sample)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(sample));
			assertThat(Firewall.clean(sample, false)).as("name %s", sample)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(sample));
		}
	}

	@Test
	void anEncodedUnreservedCharacterIsNotNormalForm() {
		assertThat(Firewall.encodesUnreserved("/%61ctuator/env")).isTrue();
		assertThat(Firewall.encodesUnreserved("/v3/%61pi-docs")).isTrue();
		assertThat(Firewall.encodesUnreserved("/orders/%7E1")).isTrue();
		assertThat(Firewall.encodesUnreserved("/orders/a%20b")).isFalse();
		assertThat(Firewall.encodesUnreserved("/orders/%C3%A9")).isFalse();
		assertThat(Firewall.encodesUnreserved("/orders/%zz")).isFalse();
		assertThat(Firewall.encodesUnreserved("/orders/100%")).isFalse();
	}

}
