package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.DialectId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * What a dependency's successful answer must look like: a JSON Schema (2020-12), read and compiled once at startup,
 * checked against every parsed body. Validation by networknt's json-schema-validator (Jackson 3).
 *
 * <p>A violation is reported by where it is ({@link #violations}: the instance's JSON pointer) and which keyword
 * failed, never by the value found there: the body may hold personal data. A pointer names only what the schema
 * itself declares (property names it lists, array indexes), because our schemas never descend through
 * {@code additionalProperties} or {@code patternProperties}; a missing required property is named from the schema.
 *
 * <p>Thread-safe: a compiled {@link Schema} is immutable.
 */
final class ResponseContract {

	/** The built-in contracts' location; {@code <name>} is user, activity or account. */
	static final String BUILT_IN = "classpath:META-INF/gateway/contracts/%s.schema.json";

	/** Dependencies with a built-in contract. */
	static final List<String> BUILT_IN_NAMES = List.of("user", "activity", "account");

	/** The value of {@code contract} that turns validation off for a dependency. */
	static final String NONE = "none";

	/** At most this many violations are named in a log line: one is enough to find the bug, a few to see its shape. */
	static final int MAX_REPORTED = 3;

	private static final SchemaRegistry REGISTRY = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Schema schema;

	private final String location;

	private ResponseContract(Schema schema, String location) {
		this.schema = schema;
		this.location = location;
	}

	/**
	 * Reads, checks and compiles a schema.
	 * @param key the configuration key the location came from, named in errors
	 * @param location a Spring resource location ({@code classpath:…}, {@code file:…})
	 * @param resources resolves the location
	 * @return the compiled contract
	 * @throws IllegalStateException naming the key and the location when the schema cannot be read, is not JSON,
	 * or is not a valid JSON Schema 2020-12
	 */
	static ResponseContract load(String key, String location, ResourceLoader resources) {
		Resource resource = resources.getResource(location);
		JsonNode document;
		try (InputStream in = resource.getInputStream()) {
			document = JsonMapper.shared().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(key + " must name a readable JSON Schema, but '" + location
					+ "' could not be read (" + ex.getClass().getSimpleName() + ")", ex);
		}
		catch (JacksonException ex) {
			// no cause: this message, naming key and value, is the one Boot reports as the root of the failure
			throw new IllegalStateException(key + " must name a JSON Schema, but '" + location + "' is not JSON: "
					+ ex.getMessage());
		}
		List<Error> invalid = REGISTRY.getSchema(SchemaLocation.of(DialectId.DRAFT_2020_12)).validate(document);
		if (!invalid.isEmpty()) {
			throw new IllegalStateException(key + " must name a valid JSON Schema 2020-12, but '" + location
					+ "' is not: " + invalid.stream().map(Error::toString).collect(Collectors.joining("; ")));
		}
		try {
			Schema schema = REGISTRY.getSchema(document);
			schema.initializeValidators();
			return new ResponseContract(schema, location);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(key + " must name a valid JSON Schema 2020-12, but '" + location
					+ "' could not be compiled: " + ex.getMessage(), ex);
		}
	}

	/** @return where the schema was read from */
	String location() {
		return this.location;
	}

	/**
	 * @param body a parsed answer
	 * @return the first {@value #MAX_REPORTED} violations as {@code "<json pointer>" <keyword>} (plus the missing
	 * property for {@code required}), e.g. {@code "" type} or {@code "/items/3" required at}; empty when the body
	 * matches
	 */
	List<String> violations(JsonNode body) {
		return this.schema.validate(body).stream().limit(MAX_REPORTED).map(ResponseContract::describe).toList();
	}

	private static String describe(Error error) {
		String where = "\"" + error.getInstanceLocation() + "\" " + error.getKeyword();
		// for required, the property is the schema's own name of the missing property, not something from the body
		return ("required".equals(error.getKeyword()) && error.getProperty() != null)
				? where + " " + error.getProperty() : where;
	}

}
