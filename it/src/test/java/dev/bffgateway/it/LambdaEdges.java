package dev.bffgateway.it;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * Starts a BFF's Lambda handler in this JVM. The handler reads its configuration from the environment, as on
 * AWS; here system properties stand in for the function's environment variables, set only while the
 * application starts, so no other test context sees them.
 */
final class LambdaEdges {

	private LambdaEdges() {
	}

	static <H extends RequestStreamHandler> H start(Supplier<H> constructor, Map<String, String> environment) {
		Map<String, String> previous = new HashMap<>();
		environment.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
		try {
			H handler = constructor.get();
			// the adapter may finish starting in the background: one request waits for it
			new LambdaEdge(handler, LambdaEdge.Format.V2).send(Edge.Request.get("/dashboard"));
			return handler;
		}
		finally {
			previous.forEach((key, value) -> {
				if (value == null) {
					System.clearProperty(key);
				}
				else {
					System.setProperty(key, value);
				}
			});
		}
	}

	/** {@link #downstreams()}, the strangler routes of {@link Strangled#ROUTES_FILE}, and the given settings. */
	static Map<String, String> routed(Map<String, String> settings) {
		Map<String, String> environment = downstreams();
		environment.put("gateway.routes.file", Strangled.ROUTES_FILE.toString());
		environment.putAll(settings);
		return environment;
	}

	/** The dependencies' base URLs, pointing at the shared WireMock stubs, and the test issuer's settings. */
	static Map<String, String> downstreams() {
		Map<String, String> environment = new HashMap<>(Tokens.environment());
		environment.put("management.server.port", "0");
		for (String name : Downstreams.NAMES) {
			environment.put("gateway.dependencies.instances." + name + ".base-url", Downstreams.of(name).baseUrl());
		}
		return environment;
	}

}
