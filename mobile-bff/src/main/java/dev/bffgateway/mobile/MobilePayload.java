package dev.bffgateway.mobile;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;

/**
 * The mobile home screen's payload, only what it renders, as a declared contract from which the published schema
 * is derived: the user's display name, avatar and tier; the latest activities (id, type, time); the account's
 * status and balance.
 *
 * @param user the user; {@code null} only when degraded
 * @param activity at most {@value MobileDashboard#ACTIVITY_LIMIT} activities, newest first as the service gives
 * them; {@code null} when degraded
 * @param account the account; {@code null} when degraded
 * @param degraded the sections that could not be fetched
 */
record MobilePayload(
		@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable User user,
		@Schema(types = { "array", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable List<Activity> activity,
		@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable Account account,
		@Schema(requiredMode = RequiredMode.REQUIRED) List<String> degraded) {

	/** The user as the home screen shows them. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record User(@Nullable String name, @Nullable String avatarUrl, @Nullable String tier) {
	}

	/** One activity line. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Activity(@Nullable String id, @Nullable String type, @Nullable String at) {
	}

	/** The account's status and balance. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Account(@Nullable String status, @Nullable Balance balance) {

		/** An amount of money, as the account service writes it. */
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Balance(@Nullable String amount, @Nullable String currency) {
		}

	}

	/** The activity service's page, of which mobile reads the items. */
	record ActivityPage(@Nullable List<Activity> items) {
	}

}
