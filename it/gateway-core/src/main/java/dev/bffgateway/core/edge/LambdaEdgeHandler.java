package dev.bffgateway.core.edge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.spring.SpringDelegatingLambdaContainerHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import org.crac.Core;
import org.crac.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Lambda entry of a BFF: API Gateway REST (v1) proxy events and HTTP API (v2) events in, the same MVC
 * application as in the container, API Gateway proxy responses out. A BFF subclasses it with a no-argument
 * constructor naming its application class; that subclass is the function's handler.
 *
 * <p>Around {@link SpringDelegatingLambdaContainerHandler} it adds what the adapter leaves out:
 * <ul>
 * <li>malformed events (not JSON, no {@code requestContext}, a body flagged base64 that is not) get a 400
 * problem response instead of an unhandled exception;</li>
 * <li>v2 {@code cookies} reach the app as a {@code Cookie} header, and {@code Set-Cookie} leaves as v2
 * {@code cookies};</li>
 * <li>header names are matched case-insensitively, as HTTP wants.</li>
 * </ul>
 * With SnapStart, the handler primes the application before the snapshot ({@link #beforeCheckpoint}).
 * The application runs with the {@code lambda} profile and the settings in
 * {@code META-INF/gateway-lambda.properties} (no Tomcat, no actuator endpoints; metrics leave as CloudWatch
 * embedded metric format on stdout).
 */
public abstract class LambdaEdgeHandler implements RequestStreamHandler, Resource {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** SnapStart priming requests: no user, so they are answered 400 before any dependency is called. */
	private static final String PRIMING_V2 = """
			{"version":"2.0","routeKey":"$default","rawPath":"/dashboard","rawQueryString":"",
			 "headers":{"accept":"application/json","user-agent":"snapstart-priming"},
			 "requestContext":{"http":{"method":"GET","path":"/dashboard","protocol":"HTTP/1.1",
			 "sourceIp":"127.0.0.1","userAgent":"snapstart-priming"},"requestId":"priming","routeKey":"$default",
			 "stage":"$default"},"isBase64Encoded":false}""";

	private static final String PRIMING_V1 = """
			{"resource":"/{proxy+}","path":"/dashboard","httpMethod":"GET",
			 "headers":{"Accept":"application/json"},"multiValueHeaders":{"Accept":["application/json"]},
			 "requestContext":{"httpMethod":"GET","path":"/dashboard","stage":"prod","requestId":"priming",
			 "identity":{"sourceIp":"127.0.0.1"}},"isBase64Encoded":false}""";

	private final SpringDelegatingLambdaContainerHandler delegate;

	/**
	 * Starts the application; on Lambda this runs during the init phase (and before a SnapStart snapshot).
	 * @param application the BFF's {@code @SpringBootApplication} class
	 * @throws IllegalStateException if the application cannot start
	 */
	protected LambdaEdgeHandler(Class<?> application) {
		try {
			this.delegate = new SpringDelegatingLambdaContainerHandler(application, LambdaEdgeConfiguration.class);
		}
		catch (ContainerInitializationException ex) {
			throw new IllegalStateException("Could not start " + application.getName() + " on the Lambda edge", ex);
		}
		Core.getGlobalContext().register(this);
	}

	/**
	 * SnapStart priming: before the snapshot is taken, requests run through the whole path (event parsing,
	 * MVC, the dashboard controller, problem rendering, both event formats) so the snapshot holds loaded,
	 * initialised and partly compiled code. They are requests without a user, answered 400 before any
	 * dependency is called: priming never reaches a downstream service, and no connection opened before the
	 * snapshot can go stale after a restore.
	 * @param context the CRaC context
	 */
	@Override
	public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws IOException {
		prime();
	}

	@Override
	public void afterRestore(org.crac.Context<? extends Resource> context) {
		// nothing to renew: priming opened no connections
	}

	/**
	 * Runs the priming requests.
	 * @return their status codes
	 * @throws IOException if a request cannot be handled
	 */
	public List<Integer> prime() throws IOException {
		List<Integer> statuses = new ArrayList<>();
		for (String event : List.of(PRIMING_V2, PRIMING_V1)) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
			statuses.add(JSON.readTree(out.toByteArray()).path("statusCode").asInt());
		}
		return statuses;
	}


	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
		byte[] raw = input.readAllBytes();
		JsonNode event;
		try {
			event = JSON.readTree(raw);
		}
		catch (JacksonException ex) {
			writeProblem(output, "The event is not JSON.");
			return;
		}
		String problem = malformation(event);
		if (problem != null) {
			writeProblem(output, problem);
			return;
		}
		boolean v2 = "2.0".equals(event.path("version").asString(""));
		if (v2) {
			cookiesToHeader((ObjectNode) event);
		}
		lowerCaseHeaderNames((ObjectNode) event);
		passSourceIp((ObjectNode) event, v2);
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		this.delegate.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), response, context);
		if (v2) {
			JsonNode body = JSON.readTree(response.toByteArray());
			if (body instanceof ObjectNode object) {
				toV2Response(object);
				output.write(JSON.writeValueAsBytes(object));
				return;
			}
		}
		response.writeTo(output);
	}

	/** @return why the event cannot be served, or {@code null} when it can */
	private static String malformation(JsonNode event) {
		if (!event.isObject()) {
			return "The event is not a JSON object.";
		}
		if (!event.path("requestContext").isObject()) {
			return "The event has no requestContext: not an API Gateway proxy event.";
		}
		boolean v2 = "2.0".equals(event.path("version").asString(""));
		String method = v2 ? event.path("requestContext").path("http").path("method").asString("")
				: event.path("httpMethod").asString("");
		String path = v2 ? event.path("rawPath").asString(event.path("requestContext").path("http").path("path").asString(""))
				: event.path("path").asString("");
		if (method.isEmpty() || !path.startsWith("/")) {
			return "The event has no HTTP method or path.";
		}
		if (event.path("isBase64Encoded").asBoolean(false) && event.path("body").isString()) {
			try {
				Base64.getMimeDecoder().decode(event.path("body").asString());
			}
			catch (IllegalArgumentException ex) {
				return "The event's body is flagged base64 but is not valid base64.";
			}
		}
		return null;
	}

	/** HTTP API v2 carries cookies beside the headers; the app reads them from the Cookie header. */
	private static void cookiesToHeader(ObjectNode event) {
		JsonNode cookies = event.path("cookies");
		if (!cookies.isArray() || cookies.isEmpty()) {
			return;
		}
		List<String> values = new ArrayList<>();
		cookies.forEach((cookie) -> values.add(cookie.asString()));
		ObjectNode headers = event.path("headers").isObject() ? (ObjectNode) event.get("headers")
				: event.putObject("headers");
		headers.put("cookie", String.join("; ", values));
	}

	/**
	 * API Gateway passes header names as the client sent them (v1) or lower-cased (v2); the adapter looks some
	 * up case-sensitively (e.g. {@code Content-Type}), so both maps are folded to one lower-case form.
	 */
	private static void lowerCaseHeaderNames(ObjectNode event) {
		for (String field : List.of("headers", "multiValueHeaders")) {
			JsonNode headers = event.path(field);
			if (!(headers instanceof ObjectNode object)) {
				continue;
			}
			ObjectNode folded = JSON.createObjectNode();
			for (Map.Entry<String, JsonNode> header : object.properties()) {
				String name = header.getKey().toLowerCase(Locale.ROOT);
				JsonNode existing = folded.get(name);
				if (existing != null && existing.isArray() && header.getValue().isArray()) {
					((ArrayNode) existing).addAll((ArrayNode) header.getValue());
				}
				else if (existing != null && existing.isString()) {
					folded.put(name, existing.asString() + "," + header.getValue().asString());
				}
				else {
					folded.set(name, header.getValue());
				}
			}
			event.set(field, folded);
		}
		if (event.path("headers").isObject()) {
			ObjectNode headers = (ObjectNode) event.get("headers");
			JsonNode contentType = headers.get("content-type");
			if (contentType != null) {
				// the adapter reads exactly "Content-Type" from the single-value map
				headers.set("Content-Type", contentType);
			}
		}
	}

	/** API Gateway's view of the client address, for {@link LambdaRequestFilter}. */
	private static void passSourceIp(ObjectNode event, boolean v2) {
		String sourceIp = v2 ? event.path("requestContext").path("http").path("sourceIp").asString("")
				: event.path("requestContext").path("identity").path("sourceIp").asString("");
		ObjectNode headers = event.path("headers").isObject() ? (ObjectNode) event.get("headers")
				: event.putObject("headers");
		headers.put(LambdaRequestFilter.SOURCE_IP_HEADER, sourceIp);
		if (event.path("multiValueHeaders").isObject()) {
			((ObjectNode) event.get("multiValueHeaders")).putArray(LambdaRequestFilter.SOURCE_IP_HEADER)
				.add(sourceIp);
		}
	}

	/** The payload format 2.0 response: single-value headers, Set-Cookie as {@code cookies}. */
	private static void toV2Response(ObjectNode response) {
		JsonNode multi = response.remove("multiValueHeaders");
		response.remove("statusDescription");
		ObjectNode headers = JSON.createObjectNode();
		ArrayNode cookies = JSON.createArrayNode();
		if (multi instanceof ObjectNode multiHeaders) {
			for (Map.Entry<String, JsonNode> header : multiHeaders.properties()) {
				List<String> values = new ArrayList<>();
				for (Iterator<JsonNode> it = header.getValue().values().iterator(); it.hasNext();) {
					values.add(it.next().asString());
				}
				if (header.getKey().equalsIgnoreCase("set-cookie")) {
					values.forEach(cookies::add);
				}
				else {
					headers.put(header.getKey(), String.join(",", values));
				}
			}
			response.set("headers", headers);
		}
		if (!cookies.isEmpty()) {
			response.set("cookies", cookies);
		}
	}

	private static void writeProblem(OutputStream output, String detail) throws IOException {
		ObjectNode problem = JSON.createObjectNode();
		problem.put("title", "Bad Request");
		problem.put("status", 400);
		problem.put("detail", detail);
		ObjectNode response = JSON.createObjectNode();
		response.put("statusCode", 400);
		response.putObject("headers").put("Content-Type", "application/problem+json");
		response.put("body", JSON.writeValueAsString(problem));
		response.put("isBase64Encoded", false);
		output.write(JSON.writeValueAsString(response).getBytes(StandardCharsets.UTF_8));
	}

}
