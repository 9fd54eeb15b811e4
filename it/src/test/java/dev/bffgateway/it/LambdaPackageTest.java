package dev.bffgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAM template and the Lambda packages Maven builds agree: every function names a Java runtime Lambda
 * offers, its CodeUri is a package that exists, and its handler class is in that package, loads from the
 * package alone, and is a {@code RequestStreamHandler} the runtime can construct.
 */
class LambdaPackageTest {

	static final Path DEPLOY = ProjectFiles.root().resolve("deploy");

	@SuppressWarnings("unchecked")
	static Map<String, Object> template() throws IOException {
		try (InputStream in = Files.newInputStream(DEPLOY.resolve("template.yaml"))) {
			return new Yaml().load(in);
		}
	}

	@SuppressWarnings("unchecked")
	static Stream<String> functions() throws IOException {
		Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template().get("Resources");
		return resources.entrySet()
			.stream()
			.filter((e) -> "AWS::Serverless::Function".equals(e.getValue().get("Type")))
			.map(Map.Entry::getKey);
	}

	@Test
	void everyBffHasAFunction() throws IOException {
		assertThat(functions()).containsExactlyInAnyOrder("WebBffFunction", "MobileBffFunction",
				"PartnerBffFunction");
	}

	@Test
	@SuppressWarnings("unchecked")
	void globalsTurnOnSnapStartForPublishedVersions() throws IOException {
		Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) template().get("Globals"))
			.get("Function");
		assertThat(function.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
		assertThat(function).containsKey("AutoPublishAlias");
	}

	@ParameterizedTest
	@MethodSource("functions")
	@SuppressWarnings("unchecked")
	void functionPointsAtABuiltPackageWithItsHandler(String name, @TempDir Path unpacked) throws Exception {
		Map<String, Object> template = template();
		Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals"))
			.get("Function");
		Map<String, Object> properties = (Map<String, Object>) ((Map<String, Map<String, Object>>) template
			.get("Resources")).get(name).get("Properties");

		Object runtime = properties.getOrDefault("Runtime", globals.get("Runtime"));
		assertThat(runtime).as(name + " runtime").isIn("java21", "java25");

		Path zip = DEPLOY.resolve((String) properties.get("CodeUri")).normalize();
		assertThat(zip).as(name + " CodeUri").isRegularFile();

		String[] handler = ((String) properties.get("Handler")).split("::");
		assertThat(handler).hasSize(2);
		assertThat(handler[1]).isEqualTo("handleRequest");
		String classFile = handler[0].replace('.', '/') + ".class";
		try (ZipFile archive = new ZipFile(zip.toFile())) {
			assertThat(archive.getEntry(classFile)).as(classFile + " at the package root").isNotNull();
			assertThat(archive.stream().map(ZipEntry::getName))
				.as("no Tomcat on Lambda")
				.noneMatch((entry) -> entry.startsWith("lib/tomcat-embed"));
			unzip(archive, unpacked);
		}
		try (URLClassLoader loader = packageClassLoader(unpacked)) {
			Class<?> type = Class.forName(handler[0], false, loader);
			Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler",
					false, loader);
			assertThat(streamHandler.isAssignableFrom(type)).as(handler[0] + " is a RequestStreamHandler").isTrue();
			assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
		}
	}

	private static void unzip(ZipFile archive, Path target) throws IOException {
		for (ZipEntry entry : archive.stream().toList()) {
			Path path = target.resolve(entry.getName()).normalize();
			if (entry.isDirectory()) {
				Files.createDirectories(path);
			}
			else {
				Files.createDirectories(path.getParent());
				try (InputStream in = archive.getInputStream(entry)) {
					Files.copy(in, path);
				}
			}
		}
	}

	/** The classpath the Lambda runtime builds from a package: its root, then every jar under lib/. */
	private static URLClassLoader packageClassLoader(Path root) throws IOException {
		List<URL> urls = new ArrayList<>();
		urls.add(root.toUri().toURL());
		try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
			for (Path jar : jars.sorted().toList()) {
				urls.add(jar.toUri().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

}
