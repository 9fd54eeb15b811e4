package dev.bffgateway.core.edge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import dev.bffgateway.core.edge.LambdaEvents.MalformedEventException;
import dev.bffgateway.core.security.EdgeAuthorizer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import static dev.bffgateway.core.edge.LambdaEvents.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaEventsTest {

	/** An HTTP API event as API Gateway sends it, with a JWT authorizer and a client posing as the edge. */
	static final String HTTP_API_EVENT = """
			{"version":"2.0","routeKey":"$default","rawPath":"/orders/a%2Fb",
			 "rawQueryString":"a=1&a=2&b=x%20y&c=1+2",
			 "cookies":["session=s1","theme=dark"],
			 "headers":{"accept":"application/json,text/plain","content-type":"text/plain",
			  "x-bff-edge-source-ip":"192.0.2.66","X-BFF-Edge-Authorizer":"e30="},
			 "queryStringParameters":{"a":"1,2","b":"x y","c":"1 2"},
			 "requestContext":{"accountId":"123456789012","apiId":"api","requestId":"request-1","stage":"$default",
			  "http":{"method":"POST","path":"/orders/a/b","protocol":"HTTP/1.1","sourceIp":"203.0.113.10",
			   "userAgent":"curl/8.5.0"},
			  "authorizer":{"jwt":{"claims":{"iss":"https://issuer.example","sub":"user-1","aud":"[web mobile]",
			   "exp":"1900000000"},"scopes":null}}},
			 "body":"aGVsbG8=","isBase64Encoded":true}""";

	/** A REST API event as API Gateway sends it, with a Cognito authorizer and a client posing as the edge. */
	static final String REST_API_EVENT = """
			{"resource":"/{proxy+}","path":"/orders/1","httpMethod":"GET",
			 "headers":{"Accept":"application/json","x-bff-edge-authorizer":"e30=","X-Bff-Edge-Source-Ip":"192.0.2.66"},
			 "multiValueHeaders":{"Accept":["application/json"],"accept":["text/plain"],"Content-Type":["text/plain"],
			  "x-bff-edge-authorizer":["e30="],"X-Bff-Edge-Source-Ip":["192.0.2.66"]},
			 "queryStringParameters":{"a":"2"},"multiValueQueryStringParameters":{"a":["1","2"]},
			 "requestContext":{"httpMethod":"GET","path":"/prod/orders/1","stage":"prod","requestId":"request-2",
			  "identity":{"sourceIp":"198.51.100.7"},
			  "authorizer":{"principalId":"user-2","claims":{"iss":"https://issuer.example","sub":"user-2",
			   "cognito:groups":"admins","email_verified":"true"}}},
			 "body":null,"isBase64Encoded":false}""";

	static ObjectNode event(String json) {
		return (ObjectNode) JSON.readTree(json);
	}

	static AwsProxyRequest toAdapter(JsonNode event) throws MalformedEventException {
		return LambdaEvents.toAdapterRequest(event);
	}

	static Map<String, Object> decodedClaims(String header) {
		return JSON.readValue(Base64.getDecoder().decode(header), new TypeReference<Map<String, Object>>() {
		});
	}

	@Nested
	class HttpApiEvents {

		@Test
		void reachTheAdapterAsRestApiRequestsWithTheRawPath() throws Exception {
			AwsProxyRequest request = toAdapter(event(HTTP_API_EVENT));

			assertThat(request.getHttpMethod()).isEqualTo("POST");
			assertThat(request.getPath()).isEqualTo("/orders/a%2Fb");
			assertThat(request.getRequestContext().getPath()).isEqualTo("/orders/a%2Fb");
			assertThat(request.getRequestContext().getHttpMethod()).isEqualTo("POST");
			assertThat(request.getRequestContext().getStage()).isEqualTo("$default");
			assertThat(request.getRequestContext().getRequestId()).isEqualTo("request-1");
			assertThat(request.getRequestContext().getIdentity().getSourceIp()).isEqualTo("203.0.113.10");
			assertThat(request.getBody()).isEqualTo("aGVsbG8=");
			assertThat(request.isBase64Encoded()).isTrue();
		}

		@Test
		void keepRepeatedQueryParametersApartDecodedAsAForm() throws Exception {
			AwsProxyRequest request = toAdapter(event(HTTP_API_EVENT));

			assertThat(request.getMultiValueQueryStringParameters()).containsOnlyKeys("a", "b", "c");
			assertThat(request.getMultiValueQueryStringParameters().get("a")).containsExactly("1", "2");
			assertThat(request.getMultiValueQueryStringParameters().get("b")).containsExactly("x y");
			assertThat(request.getMultiValueQueryStringParameters().get("c")).containsExactly("1 2");
			assertThat(request.getQueryStringParameters()).isNull();
		}

		@Test
		void passCookiesAsOneCookieHeaderAndACommaJoinedHeaderAsOneValue() throws Exception {
			Headers headers = toAdapter(event(HTTP_API_EVENT)).getMultiValueHeaders();

			assertThat(headers.get("cookie")).containsExactly("session=s1; theme=dark");
			assertThat(headers.get("accept")).containsExactly("application/json,text/plain");
			assertThat(headers.getFirst("Content-Type")).isEqualTo("text/plain");
		}

		@Test
		void carryOnlyTheEdgesOwnInternalHeaders() throws Exception {
			Headers headers = toAdapter(event(HTTP_API_EVENT)).getMultiValueHeaders();

			assertThat(headers.get(LambdaRequestFilter.SOURCE_IP_HEADER)).containsExactly("203.0.113.10");
			assertThat(headers.get(EdgeAuthorizer.HEADER)).hasSize(1).doesNotContain("e30=");
			assertThat(headers.keySet()).filteredOn((name) -> name.equalsIgnoreCase(EdgeAuthorizer.HEADER)
					|| name.equalsIgnoreCase(LambdaRequestFilter.SOURCE_IP_HEADER))
				.containsExactlyInAnyOrder(EdgeAuthorizer.HEADER, LambdaRequestFilter.SOURCE_IP_HEADER);
		}

		@Test
		void passTheJwtAuthorizersClaimsAsBase64OfAJsonObject() throws Exception {
			Headers headers = toAdapter(event(HTTP_API_EVENT)).getMultiValueHeaders();

			assertThat(decodedClaims(headers.getFirst(EdgeAuthorizer.HEADER))).containsExactly(
					Map.entry("iss", "https://issuer.example"), Map.entry("sub", "user-1"),
					Map.entry("aud", "[web mobile]"), Map.entry("exp", "1900000000"));
		}

		@Test
		void passNoClaimsFromALambdaAuthorizerOrAnEmptyClaimsObject() throws Exception {
			ObjectNode lambda = event(HTTP_API_EVENT);
			((ObjectNode) lambda.get("requestContext")).putObject("authorizer")
				.putObject("lambda")
				.put("sub", "whoever-the-function-says");
			ObjectNode empty = event(HTTP_API_EVENT);
			((ObjectNode) empty.get("requestContext").get("authorizer").get("jwt")).putObject("claims");

			assertThat(toAdapter(lambda).getMultiValueHeaders()).doesNotContainKey(EdgeAuthorizer.HEADER);
			assertThat(toAdapter(empty).getMultiValueHeaders()).doesNotContainKey(EdgeAuthorizer.HEADER);
		}

		@Test
		void withoutHeadersStillCarryTheEdgesOwn() throws Exception {
			ObjectNode event = event(HTTP_API_EVENT);
			event.remove("headers");
			event.remove("cookies");

			Headers headers = toAdapter(event).getMultiValueHeaders();

			assertThat(headers.keySet()).containsExactlyInAnyOrder(LambdaRequestFilter.SOURCE_IP_HEADER,
					EdgeAuthorizer.HEADER);
		}

	}

	@Nested
	class RestApiEvents {

		@Test
		void keepTheirPathAndParameters() throws Exception {
			AwsProxyRequest request = toAdapter(event(REST_API_EVENT));

			assertThat(request.getPath()).isEqualTo("/orders/1");
			assertThat(request.getResource()).isEqualTo("/{proxy+}");
			assertThat(request.getMultiValueQueryStringParameters().get("a")).containsExactly("1", "2");
			assertThat(request.getRequestContext().getStage()).isEqualTo("prod");
		}

		@Test
		void haveTheirSingleValueQueryParametersInTheMultiValueMap() throws Exception {
			ObjectNode event = event(REST_API_EVENT);
			((ObjectNode) event.get("queryStringParameters")).put("b", "x y");

			AwsProxyRequest request = toAdapter(event);

			assertThat(request.getMultiValueQueryStringParameters()).containsOnlyKeys("a", "b");
			assertThat(request.getMultiValueQueryStringParameters().get("a")).containsExactly("1", "2");
			assertThat(request.getMultiValueQueryStringParameters().get("b")).containsExactly("x y");
			assertThat(request.getQueryStringParameters()).isNull();
		}

		@Test
		void haveHeaderNamesInLowerCaseWithValuesMerged() throws Exception {
			Headers headers = toAdapter(event(REST_API_EVENT)).getMultiValueHeaders();

			assertThat(headers.keySet()).containsExactly("accept", "content-type", EdgeAuthorizer.HEADER,
					LambdaRequestFilter.SOURCE_IP_HEADER);
			assertThat(headers.get("accept")).containsExactly("application/json", "text/plain");
		}

		@Test
		void carryOnlyTheEdgesOwnInternalHeadersInTheOneMapTheAdapterReads() throws Exception {
			AwsProxyRequest request = toAdapter(event(REST_API_EVENT));

			assertThat(request.getHeaders()).isNull();
			assertThat(request.getMultiValueHeaders().get(LambdaRequestFilter.SOURCE_IP_HEADER))
				.containsExactly("198.51.100.7");
			assertThat(decodedClaims(request.getMultiValueHeaders().getFirst(EdgeAuthorizer.HEADER)))
				.containsEntry("sub", "user-2")
				.containsEntry("cognito:groups", "admins");
		}

		@Test
		void withoutAnAuthorizerCarryNoClaimsWhateverTheClientSent() throws Exception {
			ObjectNode event = event(REST_API_EVENT);
			((ObjectNode) event.get("requestContext")).remove("authorizer");

			assertThat(toAdapter(event).getMultiValueHeaders()).doesNotContainKey(EdgeAuthorizer.HEADER);
		}

		@Test
		void withOnlySingleValueHeadersKeepThem() throws Exception {
			ObjectNode event = event(REST_API_EVENT);
			event.remove("multiValueHeaders");

			Headers headers = toAdapter(event).getMultiValueHeaders();

			assertThat(headers.get("accept")).containsExactly("application/json");
			assertThat(headers.get(LambdaRequestFilter.SOURCE_IP_HEADER)).containsExactly("198.51.100.7");
		}

	}

	@Nested
	class QueryStrings {

		@Test
		void keepEmptyValuesAndSkipEmptyPairs() throws Exception {
			assertThat(LambdaEvents.queryParameters("flag&x=&&y=%2F%26&=z&")).containsOnlyKeys("flag", "x", "y", "")
				.containsEntry("flag", List.of(""))
				.containsEntry("x", List.of(""))
				.containsEntry("y", List.of("/&"))
				.containsEntry("", List.of("z"));
		}

		@Test
		void mayBeAbsent() throws Exception {
			assertThat(LambdaEvents.queryParameters(null)).isEmpty();
			assertThat(LambdaEvents.queryParameters("")).isEmpty();
		}

		@Test
		void thatAreNotPercentEncodingAreMalformed() {
			assertThatThrownBy(() -> LambdaEvents.queryParameters("a=%zz"))
				.isInstanceOf(MalformedEventException.class)
				.hasMessage("The event's query string is not valid percent-encoding.");
		}

	}

	@Nested
	class MalformedEvents {

		@Test
		void areNamedByWhatIsMissing() {
			assertMalformed("{\"requestContext\":", "The event is not JSON.");
			assertMalformed("[]", "The event is not a JSON object.");
			assertMalformed("{\"path\":\"/\"}", "The event has no requestContext: not an API Gateway proxy event.");
		}

		@Test
		void lackAMethodOrAPath() {
			ObjectNode noHttp = event(HTTP_API_EVENT);
			((ObjectNode) noHttp.get("requestContext")).remove("http");
			ObjectNode noRawPath = event(HTTP_API_EVENT);
			noRawPath.remove("rawPath");
			ObjectNode relative = event(REST_API_EVENT);
			relative.put("path", "orders");

			for (ObjectNode event : List.of(noHttp, noRawPath, relative)) {
				assertThatThrownBy(() -> toAdapter(event)).isInstanceOf(MalformedEventException.class)
					.hasMessage("The event has no HTTP method or path.");
			}
		}

		@Test
		void haveABodyFlaggedBase64ThatIsNotStrictBase64() {
			String mime = "aGVs\r\nbG8=";
			ObjectNode httpApi = event(HTTP_API_EVENT).put("body", mime);
			ObjectNode restApi = event(REST_API_EVENT).put("body", mime).put("isBase64Encoded", true);

			// what the adapter's MIME decoder would have taken
			assertThat(Base64.getMimeDecoder().decode(mime)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
			for (ObjectNode event : List.of(httpApi, restApi)) {
				assertThatThrownBy(() -> toAdapter(event)).isInstanceOf(MalformedEventException.class)
					.hasMessage("The event's body is flagged base64 but is not valid base64.");
			}
		}

		@Test
		void haveFieldsOfTheWrongType() {
			ObjectNode event = event(HTTP_API_EVENT);
			event.putArray("cookies").addObject().put("name", "value");

			assertThatThrownBy(() -> toAdapter(event)).isInstanceOf(MalformedEventException.class)
				.hasMessage("The event's fields do not have the types of an API Gateway proxy event.");
		}

		private void assertMalformed(String event, String detail) {
			assertThatThrownBy(() -> LambdaEvents.read(event.getBytes(StandardCharsets.UTF_8)))
				.isInstanceOf(MalformedEventException.class)
				.hasMessage(detail);
		}

	}

	@Nested
	class Responses {

		@Test
		void toAnHttpApiEventHaveSingleValueHeadersAndSetCookieAsCookies() {
			AwsProxyResponse response = new AwsProxyResponse(201);
			response.addHeader("Content-Type", "application/json");
			response.addHeader("Vary", "Accept");
			response.addHeader("Vary", "Origin");
			response.addHeader("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
			response.addHeader("set-cookie", "b=2");
			response.setStatusDescription("201 Created");
			response.setBody("eyJpZCI6MX0=");
			response.setBase64Encoded(true);

			JsonNode written = JSON.readTree(LambdaEvents.write(response, true));

			assertThat(written.propertyNames()).containsExactlyInAnyOrder("statusCode", "headers", "cookies", "body",
					"isBase64Encoded");
			assertThat(written.path("statusCode").asInt()).isEqualTo(201);
			assertThat(written.path("headers").properties()).extracting(Map.Entry::getKey)
				.containsExactlyInAnyOrder("Content-Type", "Vary");
			assertThat(written.path("headers").path("Vary").asString()).isEqualTo("Accept,Origin");
			assertThat(written.path("cookies").values()).extracting(JsonNode::asString)
				.containsExactly("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2");
			assertThat(written.path("body").asString()).isEqualTo("eyJpZCI6MX0=");
			assertThat(written.path("isBase64Encoded").asBoolean()).isTrue();
		}

		@Test
		void withoutSetCookieHaveNoCookies() {
			AwsProxyResponse response = new AwsProxyResponse(204);
			response.addHeader("Cache-Control", "no-store");

			JsonNode written = JSON.readTree(LambdaEvents.write(response, true));

			assertThat(written.has("cookies")).isFalse();
			assertThat(written.has("body")).isFalse();
			assertThat(written.path("headers").path("Cache-Control").asString()).isEqualTo("no-store");
		}

		@Test
		void problemsHaveOneContentTypeHeaderInEitherFormat() {
			AwsProxyResponse problem = LambdaEvents.problem(400, "Bad Request", "The event is not JSON.");

			for (boolean httpApi : List.of(true, false)) {
				JsonNode written = JSON.readTree(LambdaEvents.write(problem, httpApi));
				assertThat(written.path("statusCode").asInt()).isEqualTo(400);
				assertThat(written.has("multiValueHeaders")).isFalse();
				assertThat(written.path("headers").path("Content-Type").asString())
					.isEqualTo("application/problem+json");
				assertThat(JSON.readTree(written.path("body").asString()).path("detail").asString())
					.isEqualTo("The event is not JSON.");
			}
		}

	}

	/** The handler around a stand-in application: what it hands on, and what it answers when the application fails. */
	@Nested
	class Handler {

		private final ListAppender<ILoggingEvent> log = new ListAppender<>();

		JsonNode send(ProxyApplication application, String event) throws IOException {
			Logger logger = (Logger) LoggerFactory.getLogger(LambdaEdgeHandler.class);
			Level level = logger.getLevel();
			logger.setLevel(Level.DEBUG);
			this.log.start();
			logger.addAppender(this.log);
			try {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				new LambdaEdgeHandler(application) {
				}.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
				return JSON.readTree(out.toByteArray());
			}
			finally {
				logger.detachAppender(this.log);
				logger.setLevel(level);
			}
		}

		@Test
		void handsTheApplicationTheTranslatedRequestAndTheClientAnHttpApiResponse() throws IOException {
			List<AwsProxyRequest> seen = new ArrayList<>();
			ProxyApplication application = (request, context) -> {
				seen.add(request);
				AwsProxyResponse response = new AwsProxyResponse(200);
				response.addHeader("Set-Cookie", "session=s2");
				response.setBody("{}");
				return response;
			};

			JsonNode answer = send(application, HTTP_API_EVENT);

			assertThat(seen).singleElement().satisfies((request) -> {
				assertThat(request.getPath()).isEqualTo("/orders/a%2Fb");
				assertThat(request.getMultiValueHeaders().get("cookie")).containsExactly("session=s1; theme=dark");
			});
			assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
			assertThat(answer.path("cookies").values()).extracting(JsonNode::asString).containsExactly("session=s2");
			assertThat(answer.path("body").asString()).isEqualTo("{}");
			assertThat(answer.has("multiValueHeaders")).isFalse();
		}

		@Test
		void answersARestApiEventWithTheResponseAsTheAdapterWritesIt() throws IOException {
			AwsProxyResponse response = new AwsProxyResponse(200);
			response.addHeader("Set-Cookie", "a=1");
			response.setBody("{}");

			JsonNode answer = send((request, context) -> response, REST_API_EVENT);

			// SpringDelegatingLambdaContainerHandler writes its response with a plain Jackson 3 mapper
			assertThat(answer).isEqualTo(JSON.readTree(new ObjectMapper().writeValueAsBytes(response)));
			assertThat(answer.path("multiValueHeaders").path("Set-Cookie").values()).extracting(JsonNode::asString)
				.containsExactly("a=1");
		}

		@Test
		void answersAHeadRequestWithoutABodyInEitherFormat() {
			ProxyApplication application = (request, context) -> {
				AwsProxyResponse response = new AwsProxyResponse(200);
				response.addHeader("Content-Type", "application/octet-stream");
				response.setBody("aGVsbG8=");
				response.setBase64Encoded(true);
				return response;
			};

			ObjectNode httpApi = event(HTTP_API_EVENT);
			((ObjectNode) httpApi.get("requestContext").get("http")).put("method", "HEAD");
			ObjectNode restApi = event(REST_API_EVENT).put("httpMethod", "HEAD");

			for (ObjectNode head : List.of(httpApi, restApi)) {
				assertThatNoException().isThrownBy(() -> {
					JsonNode answer = send(application, head.toString());
					assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
					assertThat(answer.has("body")).isFalse();
					assertThat(answer.path("isBase64Encoded").asBoolean()).isFalse();
				});
			}
		}

		@Test
		void answersAFailureWithAGeneric500ProblemInTheEventsFormat() {
			ProxyApplication failing = (request, context) -> {
				throw new IllegalStateException(new IllegalArgumentException("token=secret-from-the-request"));
			};

			for (String event : List.of(HTTP_API_EVENT, REST_API_EVENT)) {
				assertThatNoException().isThrownBy(() -> {
					JsonNode answer = send(failing, event);
					assertThat(answer.path("statusCode").asInt()).isEqualTo(500);
					assertThat(answer.has("multiValueHeaders")).isFalse();
					assertThat(answer.path("headers").path("Content-Type").asString())
						.isEqualTo("application/problem+json");
					assertThat(answer.path("body").asString()).contains("The request could not be handled.")
						.doesNotContain("secret");
				});
			}
		}

		@Test
		void logsAFailureAsOneErrorLineNamingClassesOnly() throws IOException {
			send((request, context) -> {
				throw new IllegalStateException(new IllegalArgumentException("token=secret-from-the-request"));
			}, HTTP_API_EVENT);

			assertThat(this.log.list).filteredOn((event) -> event.getLevel() == Level.ERROR)
				.singleElement()
				.satisfies((error) -> {
					assertThat(error.getFormattedMessage()).contains(
							"java.lang.IllegalStateException caused by java.lang.IllegalArgumentException")
						.doesNotContain("secret");
					assertThat(error.getThrowableProxy()).isNull();
				});
			assertThat(this.log.list).filteredOn((event) -> event.getLevel() == Level.DEBUG)
				.singleElement()
				.satisfies((debug) -> assertThat(debug.getThrowableProxy()).isNotNull());
		}

		@Test
		void refusesASnapshotWhenPrimingIsAnswered500() throws IOException {
			LambdaEdgeHandler failing = new LambdaEdgeHandler((ProxyApplication) (request, context) -> {
				throw new IllegalStateException("The application did not start");
			}) {
			};
			LambdaEdgeHandler refusing = new LambdaEdgeHandler(
					(ProxyApplication) (request, context) -> new AwsProxyResponse(401)) {
			};

			assertThat(failing.prime()).containsExactly(500, 500);
			assertThatThrownBy(() -> failing.beforeCheckpoint(null)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("[500, 500]");
			assertThat(refusing.prime()).containsExactly(401, 401);
			assertThatNoException().isThrownBy(() -> refusing.beforeCheckpoint(null));
		}

		@Test
		void answersAMalformedEventWith400WithoutCallingTheApplication() throws IOException {
			JsonNode answer = send((request, context) -> {
				throw new AssertionError("the application was called");
			}, "not json");

			assertThat(answer.path("statusCode").asInt()).isEqualTo(400);
			assertThat(JSON.readTree(answer.path("body").asString()).path("detail").asString())
				.isEqualTo("The event is not JSON.");
		}

	}

}
