package dev.bffgateway.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;

/**
 * What the web client renders, and nothing else: the payload of web-bff's {@code GET /dashboard} as a declared
 * contract, from which the published schema is derived. A field a dependency adds does not reach the web client
 * until it is declared here.
 *
 * @param user the user's profile; {@code null} only in a degraded answer (never: it is the required part)
 * @param activity the latest activities, at most as many as web asks for, in the service's order
 * @param account the account; {@code null} when degraded
 * @param degraded the sections that could not be fetched
 */
record WebPayload(
		@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable User user,
		@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable Activity activity,
		@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable Account account,
		@Schema(requiredMode = RequiredMode.REQUIRED) List<String> degraded) {

	/** The user's profile as the web client shows it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record User(@Nullable String id, @Nullable String name, @Nullable String email, @Nullable String avatarUrl,
			@Nullable String tier, @Nullable String locale) {
	}

	/** The user's latest activities. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Activity(@Nullable String userId, @Nullable List<Item> items) {

		/** One activity. */
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Item(@Nullable String id, @Nullable String type, @Nullable String at, @Nullable String summary) {
		}

	}

	/** The account as the web client shows it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Account(@Nullable String id, @Nullable String status, @Nullable Balance balance, @Nullable String iban,
			@Nullable String openedAt) {

		/** An amount of money, as the account service writes it. */
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Balance(@Nullable String amount, @Nullable String currency) {
		}

	}

}
