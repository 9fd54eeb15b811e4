package dev.bffgateway.core.edge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.amazonaws.serverless.proxy.model.ApiGatewayRequestIdentity;
import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyRequestContext;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import com.amazonaws.serverless.proxy.model.HttpApiV2HttpContext;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.model.MultiValuedTreeMap;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bffgateway.core.security.EdgeAuthorizer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How {@link LambdaEdgeHandler} turns API Gateway events into the adapter's typed proxy requests, and the
 * application's typed answers back into API Gateway responses; plain functions, so they are tested without
 * starting an application.
 *
 * <p>Every event reaches the application as a REST API proxy (v1) request, because that is the shape the adapter
 * reads faithfully: {@code path} as given, repeated query parameters kept apart, headers looked up
 * case-insensitively. From an HTTP API (v2) event it would take the path API Gateway decoded
 * ({@code requestContext.http.path}, where an encoded {@code /} has become a separator the application can no
 * longer refuse) and the query parameters API Gateway joined with commas ({@code ?a=1&a=2} as {@code a=1,2}); it
 * would fail on an event without headers, and would find a content type only under the exact name
 * {@code Content-Type}.
 */
final class LambdaEvents {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PROBLEM_JSON = "application/problem+json";

	private LambdaEvents() {
	}

	/**
	 * Reads an event as the Lambda runtime delivers it.
	 * @param raw the event's bytes
	 * @return the event: a JSON object with a {@code requestContext}
	 * @throws MalformedEventException if it is not one
	 */
	static JsonNode read(byte[] raw) throws MalformedEventException {
		JsonNode event;
		try {
			event = JSON.readTree(raw);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException("The event is not JSON.");
		}
		if (!event.isObject()) {
			throw new MalformedEventException("The event is not a JSON object.");
		}
		if (!event.path("requestContext").isObject()) {
			throw new MalformedEventException("The event has no requestContext: not an API Gateway proxy event.");
		}
		return event;
	}

	/** @return whether the event is in HTTP API payload format 2.0, which the answer must then be in too */
	static boolean isHttpApi(JsonNode event) {
		return "2.0".equals(event.path("version").stringValue(""));
	}

	/**
	 * The request for the adapter, whatever the event's format: REST API proxy (v1) shape, header names in lower
	 * case, and the internal headers only as the edge sets them ({@link LambdaRequestFilter#SOURCE_IP_HEADER} always,
	 * {@link EdgeAuthorizer#HEADER} when API Gateway's authorizer passed claims), never as a client sent them. The
	 * single-value {@code headers} and {@code queryStringParameters} are folded into their multi-value maps, the
	 * only ones {@link ServerlessApplication} reads.
	 * @param event an event from {@link #read}
	 * @return the request for the application
	 * @throws MalformedEventException if the event has no method or path, a body flagged base64 that is not strict
	 * base64, a query string that is not valid percent-encoding, or fields of the wrong type
	 */
	static AwsProxyRequest toAdapterRequest(JsonNode event) throws MalformedEventException {
		boolean httpApi = isHttpApi(event);
		AwsProxyRequest request;
		if (httpApi) {
			request = fromHttpApi(bind(event, HttpApiV2ProxyRequest.class));
		}
		else {
			request = bind(event, AwsProxyRequest.class);
			JsonNode multiValue = event.path("multiValueHeaders");
			request.setMultiValueHeaders(folded(multiValue.isObject() ? multiValue : event.path("headers")));
			request.setMultiValueQueryStringParameters(merged(request));
		}
		String method = request.getHttpMethod();
		String path = request.getPath();
		if (method == null || method.isBlank() || path == null || !path.startsWith("/")) {
			throw new MalformedEventException("The event has no HTTP method or path.");
		}
		if (request.isBase64Encoded() && request.getBody() != null && !isBase64(request.getBody())) {
			throw new MalformedEventException("The event's body is flagged base64 but is not valid base64.");
		}
		request.setHeaders(null);
		request.setQueryStringParameters(null);
		Headers headers = request.getMultiValueHeaders();
		headers.remove(LambdaRequestFilter.SOURCE_IP_HEADER);
		headers.remove(EdgeAuthorizer.HEADER);
		ApiGatewayRequestIdentity identity = request.getRequestContext().getIdentity();
		String sourceIp = (identity != null) ? identity.getSourceIp() : null;
		headers.putSingle(LambdaRequestFilter.SOURCE_IP_HEADER, (sourceIp != null) ? sourceIp : "");
		String claims = claims(event, httpApi);
		if (claims != null) {
			headers.putSingle(EdgeAuthorizer.HEADER, claims);
		}
		return request;
	}

	/**
	 * The v1 request for a v2 event: the raw path, still percent-encoded (so the application's firewall refuses an
	 * encoded {@code /} as it does in the container), parameters parsed from the raw query string, v2
	 * {@code cookies} as one {@code cookie} header. A header API Gateway joined with commas stays one value.
	 */
	private static AwsProxyRequest fromHttpApi(HttpApiV2ProxyRequest event) throws MalformedEventException {
		HttpApiV2HttpContext http = (event.getRequestContext().getHttp() != null) ? event.getRequestContext().getHttp()
				: new HttpApiV2HttpContext();
		AwsProxyRequest request = new AwsProxyRequest();
		request.setHttpMethod(http.getMethod());
		request.setPath(event.getRawPath());
		request.setMultiValueQueryStringParameters(queryParameters(event.getRawQueryString()));
		Headers headers = new Headers();
		if (event.getHeaders() != null) {
			event.getHeaders().forEach((name, value) -> {
				if (value != null) {
					headers.add(name.toLowerCase(Locale.ROOT), value);
				}
			});
		}
		if (event.getCookies() != null && !event.getCookies().isEmpty()) {
			headers.putSingle("cookie", String.join("; ", event.getCookies()));
		}
		request.setMultiValueHeaders(headers);
		request.setBody(event.getBody());
		request.setIsBase64Encoded(event.isBase64Encoded());
		request.setPathParameters(event.getPathParameters());
		request.setStageVariables(event.getStageVariables());
		AwsProxyRequestContext context = new AwsProxyRequestContext();
		context.setHttpMethod(http.getMethod());
		context.setPath(event.getRawPath());
		context.setProtocol(http.getProtocol());
		context.setStage(event.getRequestContext().getStage());
		context.setRequestId(event.getRequestContext().getRequestId());
		context.setAccountId(event.getRequestContext().getAccountId());
		context.setApiId(event.getRequestContext().getApiId());
		ApiGatewayRequestIdentity identity = new ApiGatewayRequestIdentity();
		identity.setSourceIp(http.getSourceIp());
		identity.setUserAgent(http.getUserAgent());
		context.setIdentity(identity);
		request.setRequestContext(context);
		return request;
	}

	/**
	 * Parses a raw query string as a servlet container does ({@code application/x-www-form-urlencoded}: {@code +} is
	 * a space), keeping repeated parameters as separate values in their order.
	 * @param rawQuery the query string as the client sent it, without {@code ?}
	 * @return the parameters, by name
	 * @throws MalformedEventException if a name or value is not valid percent-encoding
	 */
	static MultiValuedTreeMap<String, String> queryParameters(@Nullable String rawQuery)
			throws MalformedEventException {
		MultiValuedTreeMap<String, String> parameters = new MultiValuedTreeMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return parameters;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			parameters.add(decode(name), decode(value));
		}
		return parameters;
	}

	private static String decode(String encoded) throws MalformedEventException {
		try {
			return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedEventException("The event's query string is not valid percent-encoding.");
		}
	}

	/**
	 * A REST API event's query parameters in the one map the application reads,
	 * {@code multiValueQueryStringParameters}, with a parameter only in {@code queryStringParameters} added (as the
	 * adapter reads them: the multi-value map wins for a name in both).
	 */
	private static MultiValuedTreeMap<String, String> merged(AwsProxyRequest request) {
		MultiValuedTreeMap<String, String> parameters = new MultiValuedTreeMap<>();
		if (request.getQueryStringParameters() != null) {
			request.getQueryStringParameters().forEach(parameters::putSingle);
		}
		if (request.getMultiValueQueryStringParameters() != null) {
			parameters.putAll(request.getMultiValueQueryStringParameters());
		}
		return parameters;
	}

	/**
	 * Header names in lower case, the values of names that differ only in case merged rather than one replacing the
	 * other (the adapter's {@link Headers} matches names case-insensitively).
	 */
	private static Headers folded(JsonNode headers) {
		Headers folded = new Headers();
		for (Map.Entry<String, JsonNode> header : headers.properties()) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			for (JsonNode value : header.getValue().isArray() ? header.getValue() : List.of(header.getValue())) {
				if (value.isValueNode() && !value.isNull()) {
					folded.add(name, value.asString());
				}
			}
		}
		return folded;
	}

	/**
	 * The claims API Gateway's authorizer verified, in the form {@link EdgeAuthorizer} reads (base64 of a JSON
	 * object). Only a JWT authorizer's ({@code requestContext.authorizer.jwt.claims}, v2) or a Cognito authorizer's
	 * ({@code requestContext.authorizer.claims}, v1): a Lambda authorizer's context is whatever its code returned,
	 * not verified claims. Read from the event as sent, not from the adapter's model, whose Cognito claims type keeps
	 * only the claims it names.
	 */
	private static @Nullable String claims(JsonNode event, boolean httpApi) {
		JsonNode authorizer = event.path("requestContext").path("authorizer");
		JsonNode claims = httpApi ? authorizer.path("jwt").path("claims") : authorizer.path("claims");
		if (!claims.isObject() || claims.isEmpty()) {
			return null;
		}
		return Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(claims));
	}

	/** Strict, as {@link ServerlessApplication} decodes (the adapter's MIME decoder would skip what is not base64). */
	private static boolean isBase64(String body) {
		try {
			Base64.getDecoder().decode(body);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static <T> T bind(JsonNode event, Class<T> type) throws MalformedEventException {
		try {
			return JSON.treeToValue(event, type);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException(
					"The event's fields do not have the types of an API Gateway proxy event.");
		}
	}

	/**
	 * The HTTP API (payload format 2.0) form of a proxy response, which has no {@code multiValueHeaders}: a header's
	 * values joined with commas, except {@code Set-Cookie}, whose values become {@code cookies} (a cookie's
	 * {@code Expires} holds a comma).
	 * @param response a v1 proxy response, as the adapter's response writer makes it
	 * @return the same response in format 2.0
	 */
	static HttpApiResponse toHttpApiResponse(AwsProxyResponse response) {
		Headers all = new Headers();
		if (response.getHeaders() != null) {
			response.getHeaders().forEach(all::add);
		}
		if (response.getMultiValueHeaders() != null) {
			response.getMultiValueHeaders().forEach(all::addAll);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		List<String> cookies = new ArrayList<>();
		all.forEach((name, values) -> {
			if (name.equalsIgnoreCase("Set-Cookie")) {
				cookies.addAll(values);
			}
			else {
				headers.put(name, String.join(",", values));
			}
		});
		return new HttpApiResponse(response.getStatusCode(), headers, cookies.isEmpty() ? null : cookies,
				response.getBody(), response.isBase64Encoded());
	}

	/**
	 * A problem answer. Its one {@code Content-Type} is a single-value header, which both payload formats read, so
	 * the answer is right even for an event whose format is unknown.
	 * @param status the HTTP status
	 * @param title the status's reason phrase
	 * @param detail what the client is told; never an exception's message, which may hold request data
	 * @return the answer as a v1 proxy response
	 */
	static AwsProxyResponse problem(int status, String title, String detail) {
		AwsProxyResponse response = new AwsProxyResponse(status);
		response.setHeaders(Map.of("Content-Type", PROBLEM_JSON));
		response.setBody(JSON.writeValueAsString(new Problem(title, status, detail)));
		return response;
	}

	/**
	 * @param response a v1 proxy response
	 * @param httpApi whether the event was in format 2.0
	 * @return the response in the event's format
	 */
	static byte[] write(AwsProxyResponse response, boolean httpApi) {
		return JSON.writeValueAsBytes(httpApi ? toHttpApiResponse(response) : response);
	}

	/** An HTTP API payload format 2.0 response. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record HttpApiResponse(int statusCode, Map<String, String> headers, @Nullable List<String> cookies,
			@Nullable String body, @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {
	}

	/** A problem details body: title, status and detail, as in the application's own problem answers. */
	record Problem(String title, int status, String detail) {
	}

	/** An event the edge cannot serve; the message is the edge's own, fit to show the client. */
	static final class MalformedEventException extends Exception {

		private static final long serialVersionUID = 1L;

		MalformedEventException(String detail) {
			super(detail, null, false, false);
		}

	}

}
