package dev.bffgateway.partner;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

/**
 * The partner dashboard's payload as a declared contract, from which the published schema is derived: each
 * section appears only when the partner's allow-list names it, holding only the allowed fields ({@code null}
 * when degraded); nothing else ever appears. Which fields a section holds is per partner ({@code routes/} and
 * {@code partner.partners.<id>.allow}), so the schema declares a section as an object of any of its
 * dependency's fields; the allow-list is the contract of its content.
 *
 * @param user the user's allowed fields, if the partner may see the user
 * @param activity the activity page's allowed fields, if the partner may see activity
 * @param account the account's allowed fields, if the partner may see the account
 * @param degraded the sections that could not be fetched
 */
record PartnerPayload(@Schema(types = { "object", "null" }, additionalProperties = TRUE) @Nullable Map<String, Object> user,
		@Schema(types = { "object", "null" }, additionalProperties = TRUE) @Nullable Map<String, Object> activity,
		@Schema(types = { "object", "null" }, additionalProperties = TRUE) @Nullable Map<String, Object> account,
		@Schema(requiredMode = RequiredMode.REQUIRED) List<String> degraded) {

}
