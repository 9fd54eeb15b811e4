package dev.bffgateway.core.dashboard;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Describes {@code GET /dashboard} in the BFF's OpenAPI document with the BFF's own payload schema
 * ({@link DashboardDefinition#payloadSchema()}), the {@code X-User-Id} header, and the problem responses.
 */
final class DashboardOpenApi implements OpenApiCustomizer {

	private final DashboardDefinition definition;

	DashboardOpenApi(DashboardDefinition definition) {
		this.definition = definition;
	}

	@Override
	public void customise(OpenAPI openApi) {
		Operation operation = new Operation().summary("The client's dashboard, fetched in parallel, degraded not broken")
			.addParametersItem(new HeaderParameter().name(DashboardController.USER_HEADER)
				.required(true)
				.description("The user: 1 to 64 letters, digits, '-' or '_'")
				.schema(new Schema<String>().types(new LinkedHashSet<>(List.of("string")))
					.pattern("[A-Za-z0-9_-]{1,64}")))
			.responses(new ApiResponses()
				.addApiResponse("200", json("The dashboard; sections that could not be fetched are named in degraded",
						"application/json", toSchema(this.definition.payloadSchema())))
				.addApiResponse("400", json("Missing or invalid user id", "application/problem+json", problem()))
				.addApiResponse("503", json("A required part could not be fetched", "application/problem+json",
						problem())));
		openApi.path("/dashboard", new PathItem().get(operation));
	}

	private static ApiResponse json(String description, String mediaType, Schema<?> schema) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(mediaType, new MediaType().schema(schema)));
	}

	private static Schema<?> problem() {
		return toSchema(Map.of("type", "object", "properties",
				Map.of("status", Map.of("type", "integer"), "title", Map.of("type", "string"), "detail",
						Map.of("type", "string"), "degraded", Map.of("type", "array", "items", Map.of("type", "string")))));
	}

	@SuppressWarnings("unchecked")
	static Schema<?> toSchema(Map<String, Object> json) {
		Schema<Object> schema = new Schema<>();
		Object type = json.get("type");
		if (type instanceof String single) {
			schema.types(new LinkedHashSet<>(List.of(single)));
		}
		else if (type instanceof List<?> several) {
			schema.types(new LinkedHashSet<>((List<String>) several));
		}
		if (json.get("properties") instanceof Map<?, ?> properties) {
			Map<String, Schema> converted = new LinkedHashMap<>();
			properties.forEach((name, value) -> converted.put((String) name, toSchema((Map<String, Object>) value)));
			schema.setProperties(converted);
		}
		if (json.get("required") instanceof List<?> required) {
			schema.setRequired((List<String>) required);
		}
		if (json.get("items") instanceof Map<?, ?> items) {
			schema.setItems(toSchema((Map<String, Object>) items));
		}
		if (json.get("additionalProperties") instanceof Boolean additional) {
			schema.setAdditionalProperties(additional);
		}
		return schema;
	}

}
