package dev.bffgateway.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Lambda edge, in-process: each request becomes an API Gateway event built from a sample of the shape
 * AWS documents ({@code src/test/resources/events}), REST API proxy (v1) or HTTP API (v2), handed to the BFF's
 * real handler; the proxy response is read back.
 */
record LambdaEdge(RequestStreamHandler handler, Format format) implements Edge {

	enum Format {

		V1("apigw-rest-v1.json"), V2("apigw-http-v2.json");

		final String sample;

		Format(String sample) {
			this.sample = sample;
		}

	}

	@Override
	public String name() {
		return "lambda-" + this.format.name().toLowerCase(Locale.ROOT);
	}

	@Override
	public Response send(Request request) {
		return invoke(Bff.JSON.writeValueAsBytes(event(request)));
	}

	/**
	 * Sends the request as API Gateway does behind an authorizer that verified a token with these claims: an
	 * HTTP API JWT authorizer ({@code requestContext.authorizer.jwt.claims}, values flattened to strings) or a
	 * REST API Cognito authorizer ({@code requestContext.authorizer.claims}).
	 */
	Response sendAuthorized(Request request, Map<String, Object> claims) {
		ObjectNode event = event(request);
		ObjectNode authorizer = ((ObjectNode) event.get("requestContext")).putObject("authorizer");
		ObjectNode target = (this.format == Format.V2) ? authorizer.putObject("jwt").putObject("claims")
				: authorizer.putObject("claims");
		claims.forEach((name, value) -> target.put(name, (value instanceof List<?> list)
				? "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]" : String.valueOf(value)));
		return invoke(Bff.JSON.writeValueAsBytes(event));
	}

	private ObjectNode event(Request request) {
		return (this.format == Format.V1) ? v1(request) : v2(request);
	}

	/** Sends raw bytes as the event, as the Lambda runtime would. */
	Response invoke(byte[] event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			this.handler.handleRequest(new ByteArrayInputStream(event), out, new TestContext());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		JsonNode response = Bff.JSON.readTree(out.toByteArray());
		Map<String, List<String>> headers = new LinkedHashMap<>();
		JsonNode multi = response.path("multiValueHeaders");
		if (multi.isObject() && !multi.isEmpty()) {
			multi.properties().forEach((e) -> e.getValue()
				.forEach((v) -> headers.computeIfAbsent(e.getKey(), (k) -> new ArrayList<>()).add(v.asString())));
		}
		else {
			response.path("headers").properties().forEach((e) -> headers.put(e.getKey(), List.of(e.getValue().asString())));
		}
		response.path("cookies").forEach((c) -> headers.computeIfAbsent("set-cookie", (k) -> new ArrayList<>()).add(c.asString()));
		String body = response.path("body").asString("");
		if (response.path("isBase64Encoded").asBoolean(false)) {
			body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
		}
		return Response.of(response.path("statusCode").asInt(), headers, body);
	}

	static ObjectNode sample(Format format) {
		try (InputStream in = LambdaEdge.class.getResourceAsStream("/events/" + format.sample)) {
			return (ObjectNode) Bff.JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ObjectNode v1(Request request) {
		ObjectNode event = sample(Format.V1);
		event.put("path", request.path());
		event.put("httpMethod", request.method());
		ObjectNode context = (ObjectNode) event.get("requestContext");
		context.put("httpMethod", request.method());
		context.put("path", "/prod" + request.path());
		ObjectNode headers = (ObjectNode) event.get("headers");
		ObjectNode multiHeaders = (ObjectNode) event.get("multiValueHeaders");
		request.headers().forEach((name, values) -> {
			headers.put(name, values.get(values.size() - 1));
			ArrayNode array = multiHeaders.putArray(name);
			values.forEach(array::add);
		});
		Map<String, List<String>> query = parseQuery(request.query());
		if (!query.isEmpty()) {
			ObjectNode single = event.putObject("queryStringParameters");
			ObjectNode multiple = event.putObject("multiValueQueryStringParameters");
			query.forEach((name, values) -> {
				single.put(name, values.get(values.size() - 1));
				ArrayNode array = multiple.putArray(name);
				values.forEach(array::add);
			});
		}
		body(event, request.body());
		return event;
	}

	private static ObjectNode v2(Request request) {
		ObjectNode event = sample(Format.V2);
		event.put("rawPath", request.path());
		event.put("rawQueryString", request.query());
		ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
		http.put("method", request.method());
		http.put("path", request.path());
		ObjectNode headers = (ObjectNode) event.get("headers");
		ArrayNode cookies = (ArrayNode) event.get("cookies");
		request.headers().forEach((name, values) -> {
			if (name.equalsIgnoreCase("cookie")) {
				values.forEach((value) -> List.of(value.split(";\\s*")).forEach(cookies::add));
			}
			else {
				headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
			}
		});
		Map<String, List<String>> query = parseQuery(request.query());
		if (!query.isEmpty()) {
			ObjectNode parameters = event.putObject("queryStringParameters");
			query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
		}
		body(event, request.body());
		return event;
	}

	private static void body(ObjectNode event, String body) {
		if (body != null) {
			event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
			event.put("isBase64Encoded", true);
		}
	}

	private static Map<String, List<String>> parseQuery(String query) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (query.isEmpty()) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			parameters.computeIfAbsent(name, (k) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	/** Enough of the Lambda context for the adapter. */
	static final class TestContext implements Context {

		@Override
		public String getAwsRequestId() {
			return "it-request";
		}

		@Override
		public String getLogGroupName() {
			return "/aws/lambda/it";
		}

		@Override
		public String getLogStreamName() {
			return "it";
		}

		@Override
		public String getFunctionName() {
			return "it";
		}

		@Override
		public String getFunctionVersion() {
			return "$LATEST";
		}

		@Override
		public String getInvokedFunctionArn() {
			return "arn:aws:lambda:eu-west-1:123456789012:function:it";
		}

		@Override
		public CognitoIdentity getIdentity() {
			return null;
		}

		@Override
		public ClientContext getClientContext() {
			return null;
		}

		@Override
		public int getRemainingTimeInMillis() {
			return 30_000;
		}

		@Override
		public int getMemoryLimitInMB() {
			return 2048;
		}

		@Override
		public LambdaLogger getLogger() {
			return new LambdaLogger() {
				@Override
				public void log(String message) {
					System.out.println(message);
				}

				@Override
				public void log(byte[] message) {
					System.out.println(new String(message, StandardCharsets.UTF_8));
				}
			};
		}

	}

}
