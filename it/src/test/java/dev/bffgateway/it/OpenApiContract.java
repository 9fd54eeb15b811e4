package dev.bffgateway.it;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks real responses against the schema a BFF publishes for {@code GET /dashboard} at {@code /v3/api-docs}
 * (OpenAPI 3.1, whose schemas are JSON Schema 2020-12).
 */
final class OpenApiContract {

	private OpenApiContract() {
	}

	/** @return the published schema of the dashboard's answer with this status and media type */
	static Schema dashboardSchema(Bff bff, String status, String mediaType) {
		JsonNode document = bff.get("/v3/api-docs").json();
		assertThat(document.path("openapi").asString()).startsWith("3.1");
		JsonNode schema = document.path("paths")
			.path("/dashboard")
			.path("get")
			.path("responses")
			.path(status)
			.path("content")
			.path(mediaType)
			.path("schema");
		assertThat(schema.isObject()).as("schema of GET /dashboard " + status + " " + mediaType).isTrue();
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
	}

	/** @return why the body does not match, or an empty list */
	static List<String> violations(Schema schema, JsonNode body) {
		return schema.validate(body).stream().map(Error::toString).toList();
	}

}
