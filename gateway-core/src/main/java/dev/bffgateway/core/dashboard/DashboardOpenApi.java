package dev.bffgateway.core.dashboard;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
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
 * Describes {@code GET /dashboard} in the BFF's OpenAPI document: the schema springdoc's model converters derive
 * from the BFF's payload type ({@link DashboardDefinition#payloadType()}), its bearer-token security scheme, and
 * the problem responses. The payload schema is published whole, its records inlined: every object of it takes
 * only the properties it declares ({@code additionalProperties: false}), and a section declared
 * {@code types = {"object", "null"}} keeps its fields (OpenAPI 3.1 would otherwise put a {@code $ref} beside the
 * type, which no {@code null} satisfies).
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
						"application/json", payloadSchema(this.definition.payloadType())))
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

	/** The schema springdoc derives from a payload type, with every record it references inlined. */
	static Schema<?> payloadSchema(Class<?> type) {
		ResolvedSchema resolved = ModelConverters.getInstance(true).readAllAsResolvedSchema(new AnnotatedType(type));
		if (resolved == null || resolved.schema == null) {
			throw new IllegalStateException("No schema can be derived from the payload type " + type.getName());
		}
		Map<String, Schema> records = (resolved.referencedSchemas != null) ? resolved.referencedSchemas : Map.of();
		return inlined(resolved.schema, records, true);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> inlined(Schema<?> schema, Map<String, Schema> records, boolean record) {
		Schema<?> source = schema;
		boolean fromRecord = record;
		if (schema.get$ref() != null) {
			String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
			source = records.get(name);
			if (source == null) {
				throw new IllegalStateException("The payload schema refers to " + schema.get$ref() + ", which was not derived");
			}
			fromRecord = true;
		}
		Schema<Object> copy = new Schema<>();
		copy.setTypes(source.getTypes());
		if (schema.get$ref() != null && schema.getTypes() != null) {
			copy.setTypes(new LinkedHashSet<>(schema.getTypes()));
		}
		copy.setFormat(source.getFormat());
		copy.setRequired(source.getRequired());
		if (source.getProperties() != null) {
			Map<String, Schema> properties = new LinkedHashMap<>();
			source.getProperties().forEach((name, property) -> properties.put(name, inlined(property, records, false)));
			copy.setProperties(properties);
		}
		if (source.getItems() != null) {
			copy.setItems(inlined(source.getItems(), records, false));
		}
		if (fromRecord) {
			copy.setAdditionalProperties(false);
		}
		else if (source.getAdditionalProperties() != null) {
			copy.setAdditionalProperties(source.getAdditionalProperties() instanceof Schema<?> values
					? inlined(values, records, false) : source.getAdditionalProperties());
		}
		return copy;
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
