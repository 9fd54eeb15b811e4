package dev.bffgateway.partner;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The partners allowed in, by partner id.
 *
 * <pre>
 * partner:
 *   partners:
 *     acme:
 *       api-key-sha256: 9f86d0818...      # SHA-256 of the key, hex; the key itself is never stored
 *       client-id: acme-portal            # the partner's OAuth client (azp/client_id of its delegated tokens);
 *                                         # default: the partner id
 *       rate-limit: { limit-for-period: 10, refresh-period: 1s }
 *       fields:                            # the fields each section may carry; anything else never leaves
 *         user: [id, tier]
 *         account: [status]
 * </pre>
 *
 * @param partners the partners by id
 */
@ConfigurationProperties("partner")
public record PartnerProperties(@Nullable Map<String, Partner> partners) {

	public PartnerProperties {
		partners = (partners != null) ? Map.copyOf(partners) : Map.of();
		partners.forEach((id, partner) -> partner.check("partner.partners." + id));
	}

	/**
	 * @param apiKeySha256 the SHA-256 of the partner's API key, 64 hex digits
	 * @param clientId the partner's OAuth client id, which its users' delegated tokens name in {@code azp} or
	 * {@code client_id}; default the partner id
	 * @param rateLimit how many requests the partner may make
	 * @param fields per dashboard section, the fields the partner may receive; a section not listed is withheld
	 */
	public record Partner(@Nullable String apiKeySha256, @Nullable String clientId, @Nullable RateLimit rateLimit,
			@Nullable Map<String, List<String>> fields) {

		/** @return the OAuth client id the partner's delegated tokens carry: {@code client-id}, else the partner id */
		String oauthClientId(String partnerId) {
			return (this.clientId != null && !this.clientId.isBlank()) ? this.clientId : partnerId;
		}

		void check(String prefix) {
			if (this.apiKeySha256 == null || !this.apiKeySha256.matches("[0-9a-fA-F]{64}")) {
				throw new IllegalArgumentException(prefix + ".api-key-sha256 must be 64 hex digits (a SHA-256), but was "
						+ ((this.apiKeySha256 == null) ? "missing" : "'" + this.apiKeySha256.length() + " characters'"));
			}
			if (this.rateLimit == null) {
				throw new IllegalArgumentException(prefix + ".rate-limit must be set, but was missing");
			}
			this.rateLimit.check(prefix + ".rate-limit");
		}

		byte[] keyHash() {
			return HexFormat.of().parseHex(this.apiKeySha256.toLowerCase(Locale.ROOT));
		}

		Map<String, List<String>> allowedFields() {
			return (this.fields != null) ? this.fields : Map.of();
		}

	}

	/**
	 * @param limitForPeriod requests allowed per period
	 * @param refreshPeriod the period
	 */
	public record RateLimit(int limitForPeriod, @Nullable Duration refreshPeriod) {

		void check(String prefix) {
			if (this.limitForPeriod < 1) {
				throw new IllegalArgumentException(prefix + ".limit-for-period must be at least 1, but was " + this.limitForPeriod);
			}
			if (this.refreshPeriod == null || this.refreshPeriod.isNegative() || this.refreshPeriod.isZero()) {
				throw new IllegalArgumentException(prefix + ".refresh-period must be positive, but was " + this.refreshPeriod);
			}
		}

	}

}
