package dev.bffgateway.core.config;

import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration processor runs and the keys it cannot see are added by hand
 * ({@code additional-spring-configuration-metadata.json}): every gateway-core key completes and is documented in
 * an IDE.
 */
class ConfigurationMetadataTest {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");

	private static final Map<String, JsonNode> PROPERTIES = new LinkedHashMap<>();

	@BeforeAll
	static void readMetadata() throws Exception {
		JsonNode metadata;
		try (InputStream in = ConfigurationMetadataTest.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json in gateway-core's classes").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		metadata.get("properties").forEach((property) -> PROPERTIES.put(property.get("name").asString(), property));
	}

	@Test
	void gatewayKeysAreDescribedInTheMetadata() {
		assertThat(PROPERTIES).containsKeys("gateway.routes.file", "gateway.dependencies.defaults.read-timeout",
				"gateway.dependencies.defaults.max-body-size", "gateway.dependencies.defaults.contract",
				"gateway.security.jwt.issuer", "gateway.security.jwt.audiences", "gateway.security.trusted-proxies",
				"gateway.security.limits.header-size");
		assertThat(PROPERTIES.get("gateway.security.jwt.clock-skew").path("description").asString())
			.as("the record component's Javadoc becomes the key's description")
			.contains("exp");
	}

	@Test
	void theSwitchesAreDescribedWithTheirDefaults() {
		assertThat(defaultOf("gateway.routes.enabled")).isEqualTo("true");
		assertThat(defaultOf("gateway.dashboard.enabled")).isEqualTo("true");
		assertThat(defaultOf("gateway.edge.emf.enabled")).isEqualTo("false");
		assertThat(defaultOf("gateway.edge.emf.namespace")).isEqualTo("BffGateway");
		assertThat(PROPERTIES.get("gateway.edge.emf.prefixes").get("defaultValue").values().stream()
			.map(JsonNode::asString)).containsExactly("bff.", "resilience4j.circuitbreaker.calls",
					"resilience4j.circuitbreaker.not.permitted.calls");
		assertThat(PROPERTIES).as("read from the environment by GatewayDefaultsEnvironmentPostProcessor")
			.containsKey("gateway.edge");
		Stream.of("gateway.routes.enabled", "gateway.dashboard.enabled", "gateway.edge.emf.enabled")
			.forEach((name) -> assertThat(PROPERTIES.get(name).get("type").asString()).as(name).isEqualTo("java.lang.Boolean"));
	}

	/** A key read by {@code @ConditionalOnProperty} or {@code @Value} has no {@code @ConfigurationProperties} to describe it. */
	@Test
	void everyKeyReadOutsideConfigurationPropertiesIsDescribed() throws Exception {
		Set<String> read = keysReadByAnnotations("dev.bffgateway.core");

		assertThat(read).as("the scan sees the switches").contains("gateway.routes.enabled", "gateway.edge.emf.enabled",
				"gateway.edge.emf.namespace");
		assertThat(read).allSatisfy((name) -> {
			assertThat(PROPERTIES).as("metadata for %s", name).containsKey(name);
			assertThat(PROPERTIES.get(name).path("description").asString()).as("description of %s", name).isNotBlank();
		});
	}

	private static String defaultOf(String name) {
		assertThat(PROPERTIES).containsKey(name);
		return PROPERTIES.get(name).path("defaultValue").asString();
	}

	/** @return the {@code gateway.*} keys named in {@code @ConditionalOnProperty} and {@code @Value} under the package */
	static Set<String> keysReadByAnnotations(String basePackage) throws ClassNotFoundException {
		// every class, whatever its conditions say (the scanner would evaluate them)
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
			@Override
			protected boolean isCandidateComponent(MetadataReader reader) {
				return true;
			}

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return true;
			}
		};
		Set<String> keys = new TreeSet<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
			Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), ConfigurationMetadataTest.class.getClassLoader());
			List<AnnotatedElement> elements = new ArrayList<>();
			elements.add(type);
			elements.addAll(List.of(type.getDeclaredFields()));
			List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
			executables.addAll(List.of(type.getDeclaredConstructors()));
			for (Executable executable : executables) {
				elements.add(executable);
				for (Parameter parameter : executable.getParameters()) {
					elements.add(parameter);
				}
			}
			for (AnnotatedElement element : elements) {
				MergedAnnotations annotations = MergedAnnotations.from(element);
				annotations.stream(ConditionalOnProperty.class).forEach((condition) -> {
					String prefix = condition.getString("prefix");
					String[] names = condition.getStringArray("name");
					for (String name : (names.length > 0) ? names : condition.getStringArray("value")) {
						keys.add(prefix.isEmpty() ? name : prefix + "." + name);
					}
				});
				annotations.stream(Value.class).forEach((value) -> {
					Matcher placeholder = PLACEHOLDER.matcher(value.getString("value"));
					while (placeholder.find()) {
						keys.add(placeholder.group(1));
					}
				});
			}
		}
		keys.removeIf((key) -> !key.startsWith("gateway."));
		return keys;
	}

}
