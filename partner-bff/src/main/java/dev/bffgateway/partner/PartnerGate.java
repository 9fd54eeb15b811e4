package dev.bffgateway.partner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import dev.bffgateway.core.security.ClientFilter;
import dev.bffgateway.core.problem.Problems;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The partner BFF's door: every request on the public port but the API description must carry
 * {@code X-Api-Key}, a partner's key (compared by SHA-256, in constant time; the key is never logged or stored),
 * and stay within that partner's Resilience4j rate limit ({@code 429} with {@code Retry-After} beyond it). The key
 * does not travel further: the request continues as the partner ({@link Chain#proceedAs}, so the request's
 * {@code Caller} names it), with the key removed and with {@code X-Partner-Id} set to the partner (a client's own
 * value was dropped at the boundary), which strangler routes use as sticky key and upstream systems may trust.
 *
 * <p>The key says which partner calls, not which user: user data also needs a user-delegated token, bound to
 * this partner by {@link PartnerConfiguration#delegatedToThePartner}. The gate runs inside gateway-core's security
 * chain, after the path is known to be in normal form, so the exemption below is decided on the normalised path.
 */
final class PartnerGate implements ClientFilter {

	/** The API description is public; nothing else on the public port is. */
	private static final RequestMatcher PUBLIC = new OrRequestMatcher(
			PathPatternRequestMatcher.withDefaults().matcher("/v3/api-docs"),
			PathPatternRequestMatcher.withDefaults().matcher("/v3/api-docs/**"));

	static final String API_KEY = "X-Api-Key";

	static final String PARTNER_ID = "X-Partner-Id";

	private final Map<String, PartnerProperties.Partner> partners;

	private final RateLimiterRegistry limiters;

	PartnerGate(PartnerProperties properties, RateLimiterRegistry limiters) {
		this.partners = properties.partners();
		this.limiters = limiters;
		this.partners.forEach((id, partner) -> limiters.rateLimiter(id, RateLimiterConfig.custom()
			.limitForPeriod(partner.rateLimit().limitForPeriod())
			.limitRefreshPeriod(partner.rateLimit().refreshPeriod())
			.timeoutDuration(Duration.ZERO)
			.build()));
	}

	@Override
	public void filter(HttpServletRequest request, HttpServletResponse response, Chain chain)
			throws ServletException, IOException {
		if (PUBLIC.matches(request)) {
			chain.proceed(request, response);
			return;
		}
		String partner = authenticate(request.getHeader(API_KEY));
		if (partner == null) {
			response.setHeader("WWW-Authenticate", "ApiKey realm=\"partner-bff\", header=\"" + API_KEY + "\"");
			Problems.write(response, HttpStatus.UNAUTHORIZED, "A valid " + API_KEY + " header is required.");
			return;
		}
		RateLimiter limiter = this.limiters.rateLimiter(partner);
		if (!limiter.acquirePermission()) {
			response.setHeader("Retry-After", Long.toString(retryAfterSeconds(limiter)));
			Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Rate limit of partner '" + partner + "' exceeded.");
			return;
		}
		chain.proceedAs(partner, new PartnerRequest(request, partner), response);
	}

	/**
	 * The limiter's refresh period in seconds, rounded up, at least 1: every period starts with a full set of
	 * permissions, so a refused partner has one again within a period at the latest. Read from the limiter's public
	 * configuration: when exactly the current period ends is the implementation's business.
	 */
	static long retryAfterSeconds(RateLimiter limiter) {
		long nanos = limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
		return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
	}

	/** @return the partner whose key this is, or {@code null} */
	private @Nullable String authenticate(@Nullable String key) {
		if (key == null || key.isBlank()) {
			return null;
		}
		byte[] hash = sha256(key);
		String match = null;
		for (Map.Entry<String, PartnerProperties.Partner> partner : this.partners.entrySet()) {
			// constant time per comparison, and every partner compared: no timing hint which key was close
			if (MessageDigest.isEqual(hash, partner.getValue().keyHash())) {
				match = partner.getKey();
			}
		}
		return match;
	}

	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The request as the rest of the BFF (and any upstream) sees it: no key, a trusted partner id. */
	private static final class PartnerRequest extends HttpServletRequestWrapper {

		private final String partner;

		PartnerRequest(HttpServletRequest request, String partner) {
			super(request);
			this.partner = partner;
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (API_KEY.equalsIgnoreCase(name)) {
				return null;
			}
			return PARTNER_ID.equalsIgnoreCase(name) ? this.partner : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (API_KEY.equalsIgnoreCase(name)) {
				return Collections.emptyEnumeration();
			}
			return PARTNER_ID.equalsIgnoreCase(name) ? Collections.enumeration(List.of(this.partner))
					: super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
			names.removeIf((name) -> API_KEY.equalsIgnoreCase(name) || PARTNER_ID.equalsIgnoreCase(name));
			names.add(PARTNER_ID);
			return Collections.enumeration(names);
		}

	}

}
