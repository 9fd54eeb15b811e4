package dev.bffgateway.core.security;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} (every default refusal kept: the BFF's path policy), with its
 * header checks done without a regular expression: the proxy reads every header several times, and the default
 * check runs a regex on each read. The rule is the same: assigned code points, no control characters (a tab is
 * allowed in values).
 */
final class Firewall {

	private Firewall() {
	}

	static StrictHttpFirewall strict() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames((name) -> clean(name, false));
		firewall.setAllowedHeaderValues((value) -> clean(value, true));
		return firewall;
	}

	static boolean clean(String text, boolean tabAllowed) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				continue;
			}
			if (c == '\t' && tabAllowed) {
				continue;
			}
			int codePoint = text.codePointAt(i);
			if (!Character.isDefined(codePoint) || Character.isISOControl(codePoint)) {
				return false;
			}
			if (Character.isSupplementaryCodePoint(codePoint)) {
				i++;
			}
		}
		return true;
	}

}
