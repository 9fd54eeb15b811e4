package dev.bffgateway.core.config;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration processor runs: gateway-core's keys complete and are documented in an IDE. */
class ConfigurationMetadataTest {

	@Test
	void gatewayKeysAreDescribedInTheMetadata() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json in gateway-core's classes").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));

		assertThat(names).contains("gateway.routes.file", "gateway.dependencies.defaults.read-timeout",
				"gateway.security.jwt.issuer", "gateway.security.jwt.audiences", "gateway.security.trusted-proxies",
				"gateway.security.limits.header-size");
		List<String> skew = new ArrayList<>();
		metadata.get("properties").forEach((property) -> {
			if (property.get("name").asString().equals("gateway.security.jwt.clock-skew")) {
				skew.add(property.path("description").asString());
			}
		});
		assertThat(skew).as("the record component's Javadoc becomes the key's description")
			.singleElement()
			.satisfies((description) -> assertThat(description).contains("exp"));
	}

}
