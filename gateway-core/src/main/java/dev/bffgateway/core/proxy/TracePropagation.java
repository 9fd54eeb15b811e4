package dev.bffgateway.core.proxy;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Puts the current trace on a proxied request: the context of the span the BFF's server opened for the client's
 * request, written by the tracer's own propagation ({@code traceparent} with W3C), replacing any the client sent. No
 * client span of its own: the proxied call is the server span's work (a pre-built span per request was most of the
 * client observation's cost, docs/benchmarks.md).
 */
@FunctionalInterface
interface TracePropagation {

	void inject(HttpRequest request);

	/** Where the BFF has no tracer: nothing is added. */
	static TracePropagation none() {
		return (request) -> {
		};
	}

	static TracePropagation of(Tracer tracer, Propagator propagator) {
		return (request) -> {
			TraceContext context = tracer.currentTraceContext().context();
			if (context != null) {
				propagator.inject(context, request, (carrier, key, value) -> {
					if (carrier != null) {
						carrier.removeHeaders(key);
						carrier.addHeader(key, value);
					}
				});
			}
		};
	}

}
