package dev.bffgateway.core.downstream;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.hc.core5.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Puts the current trace on an outbound request, written by the tracer's own propagation ({@code traceparent} with
 * W3C), replacing any header of that name already there; the BFF's calls carry no Micrometer client observation
 * (a pre-built span and a timer looked up by its tags per call were a fifth of a dashboard's CPU and most of a proxied
 * request's client cost, docs/benchmarks.md, issue 16). What times them instead is each caller's own pre-registered
 * meter ({@code bff.downstream.calls}, {@code bff.strangler.requests}).
 *
 * <ul>
 * <li>{@link #inject}: the request goes on under the current span (the server span of the client's request): the
 * strangler proxy's calls, which are that span's whole work.</li>
 * <li>{@link #call}: a dependency call, one of several a request makes: in a trace that is sampled (the only ones a
 * tracing backend keeps) it gets a client span of its own, named for the dependency, so the fan-out's parts stay
 * visible side by side; in one that is not, it goes on under the current span and costs no span at all.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class OutboundTrace {

	private static final OutboundTrace NONE = new OutboundTrace(null, null);

	private static final Call NO_SPAN = new Call() {
	};

	private final @Nullable Tracer tracer;

	private final @Nullable Propagator propagator;

	private OutboundTrace(@Nullable Tracer tracer, @Nullable Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/** @return propagation that adds nothing: where the BFF has no tracer */
	public static OutboundTrace none() {
		return NONE;
	}

	/**
	 * @param tracer the BFF's tracer, or {@code null}
	 * @param propagator its propagator, or {@code null}
	 * @return propagation by them, or {@link #none()} unless both are there
	 */
	public static OutboundTrace of(@Nullable Tracer tracer, @Nullable Propagator propagator) {
		return (tracer != null && propagator != null) ? new OutboundTrace(tracer, propagator) : NONE;
	}

	/**
	 * Writes the current span's context onto the request.
	 * @param request the outbound request
	 */
	public void inject(HttpRequest request) {
		Tracer tracer = this.tracer;
		if (tracer != null) {
			TraceContext context = tracer.currentTraceContext().context();
			if (context != null) {
				write(context, request);
			}
		}
	}

	/**
	 * Starts a dependency call: a client span under the current one when the trace is sampled, written onto the
	 * request; otherwise the current context, as {@link #inject}.
	 * @param request the outbound request
	 * @param dependency the dependency's name: the span's name and remote service
	 * @return the call: {@link Call#answered} or {@link Call#failed} ends it
	 */
	public Call call(HttpRequest request, String dependency) {
		Tracer tracer = this.tracer;
		if (tracer == null) {
			return NO_SPAN;
		}
		TraceContext context = tracer.currentTraceContext().context();
		if (context == null) {
			return NO_SPAN;
		}
		if (!Boolean.TRUE.equals(context.sampled())) {
			write(context, request);
			return NO_SPAN;
		}
		Span span = tracer.spanBuilder()
			.setParent(context)
			.kind(Span.Kind.CLIENT)
			.name(request.getMethod() + " " + dependency)
			.remoteServiceName(dependency)
			.start();
		write(span.context(), request);
		return new Call() {

			@Override
			public void answered(int status) {
				span.tag("http.status_code", Integer.toString(status));
				span.end();
			}

			@Override
			public void failed(Throwable failure) {
				span.error(failure);
				span.end();
			}

		};
	}

	private void write(TraceContext context, HttpRequest request) {
		Propagator propagator = this.propagator;
		if (propagator != null) {
			propagator.inject(context, request, (carrier, key, value) -> {
				if (carrier != null) {
					carrier.removeHeaders(key);
					carrier.addHeader(key, value);
				}
			});
		}
	}

	/** One traced dependency call; ended once, by one of its methods. */
	public interface Call {

		/**
		 * The call got an answer: its span, if it has one, ends with the status.
		 * @param status the answer's HTTP status
		 */
		default void answered(int status) {
		}

		/**
		 * The call got no answer, or one that could not be read: its span, if it has one, ends in error.
		 * @param failure why
		 */
		default void failed(Throwable failure) {
		}

	}

}
