package dev.bffgateway.core.security;

import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} (every default refusal kept: the BFF's path policy), plus one rule
 * it lacks: an unreserved character written percent-encoded ({@code %61} for {@code a}, RFC 3986 §6.2.2.2) is
 * refused too, so the path a request arrives with is the only spelling of it: what routing and the key gate
 * match, decoded, is what the proxy forwards, raw. Its header checks run without a regular expression: the proxy
 * reads every header several times, and the default check runs a regex on each read. The header rule is the
 * same: assigned code points, no control characters (a tab is allowed in values).
 */
final class Firewall extends StrictHttpFirewall {

	private Firewall() {
		setAllowedHeaderNames((name) -> clean(name, false));
		setAllowedHeaderValues((value) -> clean(value, true));
	}

	static StrictHttpFirewall strict() {
		return new Firewall();
	}

	@Override
	public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
		if (encodesUnreserved(request.getRequestURI())) {
			throw new RequestRejectedException("The request was rejected because the URL encodes an unreserved character");
		}
		return super.getFirewalledRequest(request);
	}

	static boolean encodesUnreserved(String uri) {
		for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
			if (!HexFormat.isHexDigit(uri.charAt(i + 1)) || !HexFormat.isHexDigit(uri.charAt(i + 2))) {
				continue; // not an escape at all: Tomcat and the strict firewall have their own say
			}
			int decoded = HexFormat.fromHexDigits(uri, i + 1, i + 3);
			if (Character.isLetterOrDigit(decoded) && decoded < 0x80 || decoded == '-' || decoded == '.'
					|| decoded == '_' || decoded == '~') {
				return true;
			}
		}
		return false;
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
