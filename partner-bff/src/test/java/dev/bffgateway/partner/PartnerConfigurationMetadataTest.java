package dev.bffgateway.partner;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * partner-bff's own configuration metadata, in its jar: every {@code partner.*} key it reads completes and is
 * documented in an IDE. Per-partner keys are listed with {@code *} for the partner id.
 */
class PartnerConfigurationMetadataTest {

	@Test
	void everyPartnerKeyIsDescribed() throws Exception {
		Map<String, JsonNode> properties = partnerBffMetadata();

		assertThat(properties).containsKeys("partner.partners", PartnerKeysFromSsm.PATH, PartnerKeysFromSsm.ENDPOINT);
		assertThat(properties.get("partner.partners").get("type").asString())
			.isEqualTo("java.util.Map<java.lang.String,dev.bffgateway.partner.PartnerProperties$Partner>");
		for (RecordComponent component : PartnerProperties.Partner.class.getRecordComponents()) {
			if (component.getType() == PartnerProperties.RateLimit.class) {
				for (RecordComponent limit : PartnerProperties.RateLimit.class.getRecordComponents()) {
					assertThat(properties).containsKey("partner.partners.*." + kebab(component) + "." + kebab(limit));
				}
			}
			else {
				assertThat(properties).containsKey("partner.partners.*." + kebab(component));
			}
		}
		assertThat(properties).containsOnlyKeys("partner.partners", "partner.partners.*.api-key-sha256",
				"partner.partners.*.client-id", "partner.partners.*.rate-limit.limit-for-period",
				"partner.partners.*.rate-limit.refresh-period", "partner.partners.*.fields", "partner.keys.ssm-path",
				"partner.keys.ssm-endpoint");
		properties.forEach((name, property) -> assertThat(property.path("description").asString()).as(name).isNotBlank());
		assertThat(properties.get("partner.partners.*.rate-limit.refresh-period").get("type").asString())
			.isEqualTo("java.time.Duration");
	}

	/** @return the properties of partner-bff's own metadata file, not gateway-core's of the same name */
	private static Map<String, JsonNode> partnerBffMetadata() throws Exception {
		URI classes = PartnerProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		try (InputStream in = classes.resolve("META-INF/spring-configuration-metadata.json").toURL().openStream()) {
			JsonMapper.builder().build().readTree(in).get("properties")
				.forEach((property) -> properties.put(property.get("name").asString(), property));
		}
		return properties;
	}

	private static String kebab(RecordComponent component) {
		return component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
