package dev.bffgateway.core.dashboard;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Describes {@code GET /dashboard} in the BFF's OpenAPI document with the BFF's own payload schema
 * ({@link DashboardDefinition#payloadSchema()}), its bearer-token security scheme, and the problem responses.
 */
final class DashboardOpenApi implements OpenApiCustomizer {

	private static final String BEARER = "bearer";

	private final DashboardDefinition definition;

	DashboardOpenApi(DashboardDefinition definition) {
		this.definition = definition;
	}

	@Override
	public void customise(OpenAPI openApi) {
		Operation operation = new Operation().summary("The client's dashboard, fetched in parallel, degraded not broken")
			.description("The caller is the user of the bearer token (a JWT; the user id is its sub claim by default).")
			.addSecurityItem(new SecurityRequirement().addList(BEARER))
			.responses(new ApiResponses()
				.addApiResponse("200", json("The dashboard; sections that could not be fetched are named in degraded",
						"application/json", toSchema(this.definition.payloadSchema())))
				.addApiResponse("401", json("No bearer token, or one that is not valid", "application/problem+json",
						problem()))
				.addApiResponse("403", json("A valid token that may not read the dashboard (audience, scope)",
						"application/problem+json", problem()))
				.addApiResponse("503", json("A required part could not be fetched", "application/problem+json",
						problem())));
		openApi.path("/dashboard", new PathItem().get(operation));
		if (openApi.getComponents() == null) {
			openApi.components(new Components());
		}
		openApi.getComponents()
			.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT"));
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
