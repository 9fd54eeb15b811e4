package dev.bffgateway.core.dashboard;

import java.util.List;
import java.util.Map;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The published dashboard schema is what springdoc derives from the payload type, published whole. */
class DashboardOpenApiTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	record Profile(@Nullable String name, @Nullable String tier) {
	}

	record Line(@Nullable String id) {
	}

	record Payload(@Schema(types = { "object", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable Profile user,
			@Schema(types = { "array", "null" }, requiredMode = RequiredMode.REQUIRED) @Nullable List<Line> lines,
			@Schema(types = { "object", "null" }, additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
			@Nullable Map<String, Object> extras,
			@Schema(requiredMode = RequiredMode.REQUIRED) List<String> degraded) {
	}

	@Test
	void recordsAreInlinedClosedAndNullableWhereDeclared() throws Exception {
		String schema = Json31.mapper().writeValueAsString(DashboardOpenApi.payloadSchema(Payload.class));

		assertThat(JSON.readTree(schema)).isEqualTo(JSON.readTree("""
				{"type":"object","additionalProperties":false,
				 "required":["degraded","lines","user"],
				 "properties":{
				   "user":{"type":["object","null"],"additionalProperties":false,
				           "properties":{"name":{"type":"string"},"tier":{"type":"string"}}},
				   "lines":{"type":["array","null"],
				            "items":{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"}}}},
				   "extras":{"type":["object","null"],"additionalProperties":true},
				   "degraded":{"type":"array","items":{"type":"string"}}}}"""));
	}

}
