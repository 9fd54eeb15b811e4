package dev.bffgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
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
 * package alone, and is a {@code RequestStreamHandler} the runtime can construct. A BFF's function runs its own
 * handler; its replay function (store and replay) runs Spring Cloud Function's {@code FunctionInvoker} on the same
 * package, starting the BFF's application with {@code replayRequests}, behind the BFF's own FIFO queue.
 */
class LambdaPackageTest {

	static final Path DEPLOY = ProjectFiles.root().resolve("deploy");

	/** Each replay function, by the BFF function whose package it runs. */
	static final Map<String, String> REPLAY_FUNCTIONS = Map.of("WebBffReplayFunction", "WebBffFunction",
			"MobileBffReplayFunction", "MobileBffFunction", "PartnerBffReplayFunction", "PartnerBffFunction");

	static final String FUNCTION_INVOKER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker";

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

	/** The BFFs' own functions: every function but the replay functions. */
	static Stream<String> bffFunctions() throws IOException {
		return functions().filter((name) -> !REPLAY_FUNCTIONS.containsKey(name));
	}

	static Stream<String> replayFunctions() throws IOException {
		return functions().filter(REPLAY_FUNCTIONS::containsKey);
	}

	@Test
	void everyBffHasAFunctionAndAReplayFunction() throws IOException {
		assertThat(bffFunctions()).containsExactlyInAnyOrder("WebBffFunction", "MobileBffFunction",
				"PartnerBffFunction");
		assertThat(replayFunctions()).containsExactlyInAnyOrderElementsOf(REPLAY_FUNCTIONS.keySet());
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
	@MethodSource("bffFunctions")
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

	@ParameterizedTest
	@MethodSource("replayFunctions")
	@SuppressWarnings("unchecked")
	void replayFunctionRunsItsBffsPackageBehindItsQueue(String name, @TempDir Path unpacked) throws Exception {
		Map<String, Object> template = template();
		Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");
		Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals"))
			.get("Function");
		Map<String, Object> properties = (Map<String, Object>) resources.get(name).get("Properties");
		Map<String, Object> bff = (Map<String, Object>) resources.get(REPLAY_FUNCTIONS.get(name)).get("Properties");
		Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) properties.get("Environment"))
			.get("Variables");

		assertThat(properties.getOrDefault("Runtime", globals.get("Runtime"))).as(name + " runtime")
			.isIn("java21", "java25");
		assertThat(properties.get("CodeUri")).as(name + " runs its BFF's package").isEqualTo(bff.get("CodeUri"));
		assertThat(properties.get("Handler")).isEqualTo(FUNCTION_INVOKER + "::handleRequest");
		assertThat(environment).containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "replayRequests")
			.containsEntry("GATEWAY_REPLAY_POLL", "false")
			.containsEntry("SPRING_PROFILES_ACTIVE", "lambda");
		assertThat(String.valueOf(environment.get("JAVA_TOOL_OPTIONS")))
			.as("no Spring AOT: the context process-aot generates is the HTTP edge's")
			.doesNotContain("spring.aot.enabled=true");

		// behind its BFF's queue, the one its BFF stores into, answering a partial batch
		Map<String, Object> events = (Map<String, Object>) properties.get("Events");
		assertThat(events).hasSize(1);
		Map<String, Object> event = (Map<String, Object>) events.values().iterator().next();
		assertThat(event.get("Type")).isEqualTo("SQS");
		Map<String, Object> source = (Map<String, Object>) event.get("Properties");
		assertThat(source.get("BatchSize")).isEqualTo(10);
		assertThat((List<Object>) source.get("FunctionResponseTypes")).containsExactly("ReportBatchItemFailures");
		String queue = ((String) ((Map<String, Object>) source.get("Queue")).get("Fn::GetAtt")).replace(".Arn", "");
		assertThat(environment.get("REPLAY_QUEUE_URL")).isEqualTo(Map.of("Ref", queue));
		Map<String, Object> bffEnvironment = (Map<String, Object>) ((Map<String, Object>) bff.get("Environment"))
			.get("Variables");
		List<Object> stored = (List<Object>) ((Map<String, Object>) bffEnvironment.get("REPLAY_QUEUE_URL"))
			.get("Fn::If");
		assertThat(stored.get(1)).as("its BFF stores into the same queue").isEqualTo(Map.of("Ref", queue));
		Map<String, Object> queueProperties = (Map<String, Object>) resources.get(queue).get("Properties");
		assertThat(queueProperties.get("FifoQueue")).isEqualTo(true);
		int timeout = (Integer) properties.getOrDefault("Timeout", globals.get("Timeout"));
		assertThat((Integer) queueProperties.get("VisibilityTimeout")).as("6 x the function's timeout")
			.isGreaterThanOrEqualTo(6 * timeout);

		Path zip = DEPLOY.resolve((String) properties.get("CodeUri")).normalize();
		assertThat(zip).as(name + " CodeUri").isRegularFile();
		try (ZipFile archive = new ZipFile(zip.toFile())) {
			unzip(archive, unpacked);
		}
		try (URLClassLoader loader = packageClassLoader(unpacked)) {
			Class<?> invoker = Class.forName(FUNCTION_INVOKER, false, loader);
			Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler",
					false, loader);
			assertThat(streamHandler.isAssignableFrom(invoker)).as(FUNCTION_INVOKER + " is a RequestStreamHandler")
				.isTrue();
			assertThat(Modifier.isPublic(invoker.getConstructor().getModifiers())).isTrue();
			String mainClass = (String) environment.get("MAIN_CLASS");
			assertThat(unpacked.resolve(mainClass.replace('.', '/') + ".class")).as(mainClass + " at the package root")
				.isRegularFile();
			Class<? extends Annotation> application = Class
				.forName("org.springframework.boot.autoconfigure.SpringBootApplication", false, loader)
				.asSubclass(Annotation.class);
			assertThat(Class.forName(mainClass, false, loader).isAnnotationPresent(application))
				.as(mainClass + " is the BFF's @SpringBootApplication")
				.isTrue();
		}
	}

	/**
	 * With {@code RoutesFromSsm=Yes} a BFF's function and its replay function read the BFF's routes from its own
	 * parameter, {@code /bff/<bff>/routes}, created with a valid (empty) table, and may call {@code GetParameter} on
	 * that one parameter only; with {@code No}, the variable is empty (the packaged file) and there is no grant.
	 */
	@ParameterizedTest
	@MethodSource("functions")
	@SuppressWarnings("unchecked")
	void functionReadsItsBffsRoutesParameterAndOnlyThatOne(String name) throws IOException {
		Map<String, Object> template = template();
		Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");
		Map<String, Object> properties = (Map<String, Object>) resources.get(name).get("Properties");
		String bff = (String) ((Map<String, Object>) resources.get(REPLAY_FUNCTIONS.getOrDefault(name, name))
			.get("Properties")).get("FunctionName");
		Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) properties.get("Environment"))
			.get("Variables");

		List<Object> variable = (List<Object>) ((Map<String, Object>) environment.get("ROUTES_SSM_PARAMETER"))
			.get("Fn::If");
		assertThat(variable.get(0)).isEqualTo("ReadRoutesFromSsm");
		assertThat(variable.get(2)).as("No: the packaged routes file").isEqualTo("");
		String parameter = (String) ((Map<String, Object>) variable.get(1)).get("Ref");
		assertThat(resources.get(parameter).get("Type")).isEqualTo("AWS::SSM::Parameter");
		assertThat(resources.get(parameter)).as("created whatever RoutesFromSsm says").doesNotContainKey("Condition");
		Map<String, Object> created = (Map<String, Object>) resources.get(parameter).get("Properties");
		assertThat(created.get("Name")).isEqualTo("/bff/" + bff + "/routes");
		assertThat(created.get("Type")).isEqualTo("String");
		assertThat((Object) new Yaml().load((String) created.get("Value"))).as("a valid table, empty")
			.isEqualTo(Map.of("routes", List.of()));

		Object policies = properties.containsKey("Role")
				? resources.get(((String) ((Map<String, Object>) properties.get("Role")).get("Fn::GetAtt")).replace(".Arn", ""))
					.get("Properties")
				: properties.get("Policies");
		List<Map.Entry<Map<String, Object>, String>> statements = new ArrayList<>();
		statements(policies, "", statements);
		List<Map.Entry<Map<String, Object>, String>> reads = statements.stream()
			.filter((e) -> String.valueOf(e.getKey().get("Action")).contains("ssm:GetParameter")
					&& !String.valueOf(e.getKey().get("Action")).contains("ssm:GetParametersByPath"))
			.toList();
		assertThat(reads).as(name + "'s GetParameter grants").hasSize(1);
		assertThat(reads.get(0).getValue()).isEqualTo("ReadRoutesFromSsm");
		assertThat(reads.get(0).getKey().get("Resource")).isEqualTo(Map.of("Fn::Sub",
				"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${" + parameter + "}"));
	}

	/** Collects every IAM statement (a map with an {@code Effect}) under a node, with the condition it is under. */
	@SuppressWarnings("unchecked")
	private static void statements(Object node, String condition, List<Map.Entry<Map<String, Object>, String>> found) {
		if (node instanceof Map<?, ?> map) {
			if (map.containsKey("Effect")) {
				found.add(Map.entry((Map<String, Object>) map, condition));
				return;
			}
			if (map.get("Fn::If") instanceof List<?> branches) {
				statements(branches.get(1), (String) branches.get(0), found);
				statements(branches.get(2), "!" + branches.get(0), found);
				return;
			}
			map.values().forEach((value) -> statements(value, condition, found));
		}
		else if (node instanceof List<?> list) {
			list.forEach((item) -> statements(item, condition, found));
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
