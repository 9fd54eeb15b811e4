package dev.bffgateway.core.edge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.bffgateway.core.edge.LambdaEvents.MalformedEventException;
import dev.bffgateway.core.security.EdgeAuthorizer;
import org.crac.Core;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static dev.bffgateway.core.edge.LambdaEvents.JSON;

/**
 * The Lambda entry of a BFF: API Gateway REST (v1) proxy events and HTTP API (v2) events in, the same MVC
 * application as in the container, API Gateway proxy responses out. A BFF subclasses it with a no-argument
 * constructor naming its application class; that subclass is the function's handler.
 *
 * <p>Each event is read once into the adapter's typed proxy request ({@link LambdaEvents}), served by the
 * application through Spring Cloud Function's ServerlessMVC ({@link ServerlessApplication}), and the typed answer
 * written once, in the event's format. What it adds to {@code SpringDelegatingLambdaContainerHandler}:
 * <ul>
 * <li>every event reaches the application as a REST API (v1) request, so a v2 event's path arrives raw (an encoded
 * {@code /} is refused as in the container, not silently decoded), repeated query parameters stay apart, and v2
 * {@code cookies} become a {@code Cookie} header; the answer to a v2 event leaves in the v2 shape, with
 * {@code Set-Cookie} as {@code cookies};</li>
 * <li>header names in lower case, and the internal headers only as the edge sets them: the client address API
 * Gateway saw ({@link LambdaRequestFilter}) and the claims of API Gateway's JWT or Cognito authorizer
 * ({@link EdgeAuthorizer}), whatever a client sent under those names;</li>
 * <li>malformed events (not JSON, no {@code requestContext}, no method or path, a body flagged base64 that is not,
 * a query string that is not percent-encoding) get a 400 problem response, and any failure in the translation
 * or the application a 500 one: nothing reaches the Lambda runtime, whose own answer would be a bare
 * 500 from API Gateway.</li>
 * </ul>
 * With SnapStart, the handler primes the application before the snapshot ({@link #beforeCheckpoint}).
 * The application runs with the {@code lambda} profile ({@link dev.bffgateway.core.config.LambdaProfile}): no
 * Tomcat, no actuator endpoints, metrics as CloudWatch embedded metric format on stdout.
 */
public abstract class LambdaEdgeHandler implements RequestStreamHandler, Resource {

	private static final Logger logger = LoggerFactory.getLogger(LambdaEdgeHandler.class);

	/** SnapStart priming requests: no bearer token, so they are answered 401 before any dependency is called. */
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

	private final ProxyApplication application;

	/**
	 * Starts the application; on Lambda this runs during the init phase (and before a SnapStart snapshot).
	 * @param application the BFF's {@code @SpringBootApplication} class
	 * @throws IllegalStateException if the start cannot be waited for
	 */
	protected LambdaEdgeHandler(Class<?> application) {
		this(new ServerlessApplication(application));
		Core.getGlobalContext().register(this);
	}

	/** The edge around another application, so tests can see what it answers when the application fails. */
	LambdaEdgeHandler(ProxyApplication application) {
		this.application = application;
	}

	/**
	 * SnapStart priming: before the snapshot is taken, requests run through the whole path (event translation,
	 * MVC's filters, security, problem rendering, both event formats) so the snapshot holds loaded,
	 * initialised and partly compiled code. They are requests without a bearer token, answered 401, before any
	 * dependency is called: priming never reaches a downstream service, and no connection opened before the
	 * snapshot can go stale after a restore.
	 * @param context the CRaC context
	 * @throws IllegalStateException if a priming request is answered 5xx: {@link #handleRequest} turns a failure
	 * into a 500 answer, and a snapshot of an application that fails must not be taken
	 */
	@Override
	public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws IOException {
		List<Integer> statuses = prime();
		if (statuses.stream().anyMatch((status) -> status >= 500)) {
			throw new IllegalStateException(
					"SnapStart priming was answered " + statuses + ", not refused (401) before any dependency call");
		}
	}

	@Override
	public void afterRestore(org.crac.Context<? extends Resource> context) {
		// nothing to renew: priming opened no connections
	}

	/**
	 * Runs the priming requests, one per event format.
	 * @return their status codes: 401 each (no bearer token), answered before any dependency is called
	 * @throws IOException if an answer cannot be written
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

	/**
	 * Answers one event, always with a proxy response in the event's format (the neutral single-header form when
	 * the event is not even JSON): 400 for an event the edge cannot serve, 500 when the translation or the
	 * application fails. A failure is logged as one ERROR line naming exception classes only, since a message
	 * may carry request data; the stack trace goes to DEBUG. Only a {@link VirtualMachineError} escapes, so that the
	 * runtime replaces an environment whose JVM is out of memory or broken.
	 * @throws IOException if the answer cannot be written to {@code output}
	 */
	@Override
	public void handleRequest(InputStream input, OutputStream output, @Nullable Context context) throws IOException {
		output.write(answer(input, context));
	}

	private byte[] answer(InputStream input, @Nullable Context context) {
		boolean httpApi = false;
		try {
			JsonNode event = LambdaEvents.read(input.readAllBytes());
			httpApi = LambdaEvents.isHttpApi(event);
			AwsProxyRequest request = LambdaEvents.toAdapterRequest(event);
			AwsProxyResponse answer = this.application.serve(request, context);
			if ("HEAD".equalsIgnoreCase(request.getHttpMethod())) {
				answer.setBody(null); // as in the container: a HEAD answer has headers only (RFC 9110 §9.3.2)
				answer.setBase64Encoded(false);
			}
			return LambdaEvents.write(answer, httpApi);
		}
		catch (MalformedEventException ex) {
			return LambdaEvents.write(LambdaEvents.problem(400, "Bad Request", String.valueOf(ex.getMessage())),
					httpApi);
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			logger.error("Answered 500 to an API Gateway event after {}", classes(ex));
			logger.debug("Answered 500 to an API Gateway event", ex);
			return LambdaEvents.write(
					LambdaEvents.problem(500, "Internal Server Error", "The request could not be handled."), httpApi);
		}
	}

	/** The exception's class and its causes' classes, outermost first; servlet exceptions wrap what the app throws. */
	private static String classes(Throwable ex) {
		StringJoiner classes = new StringJoiner(" caused by ");
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable cause = ex; cause != null && seen.add(cause); cause = cause.getCause()) {
			classes.add(cause.getClass().getName());
		}
		return classes.toString();
	}

}
