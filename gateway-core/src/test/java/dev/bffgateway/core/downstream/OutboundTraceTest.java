package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OutboundTrace} with Brave, as Boot wires it (W3C propagation): which context an outbound request carries,
 * and which calls get a client span of their own.
 */
class OutboundTraceTest {

	private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

	private Tracing tracing;

	@AfterEach
	void close() {
		if (this.tracing != null) {
			this.tracing.close();
		}
	}

	private Tracer tracer(Sampler sampler) {
		this.tracing = Tracing.newBuilder()
			.sampler(sampler)
			.traceId128Bit(true) // as Boot builds it
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.propagationFactory(new W3CPropagation())
			.addSpanHandler(new SpanHandler() {
				@Override
				public boolean end(brave.propagation.TraceContext context, MutableSpan span, Cause cause) {
					OutboundTraceTest.this.finished.add(span);
					return true;
				}
			})
			.build();
		return new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()));
	}

	private OutboundTrace trace(Tracer tracer) {
		return OutboundTrace.of(tracer, new BravePropagator(this.tracing));
	}

	private static ClassicHttpRequest request() {
		ClassicHttpRequest request = new BasicClassicHttpRequest(Method.GET, "/accounts/42");
		request.addHeader("traceparent", "00-11111111111111111111111111111111-2222222222222222-01"); // a stale one
		return request;
	}

	private static String[] traceparent(ClassicHttpRequest request) {
		assertThat(request.getHeaders("traceparent")).hasSize(1);
		return request.getFirstHeader("traceparent").getValue().split("-");
	}

	@Test
	void inASampledTraceACallIsAClientSpanOfItsOwnUnderTheServersSpan() {
		Tracer tracer = tracer(Sampler.ALWAYS_SAMPLE);
		Span server = tracer.nextSpan().name("GET /dashboard").start();
		ClassicHttpRequest request = request();
		try (Tracer.SpanInScope scope = tracer.withSpan(server)) {
			trace(tracer).call(request, "account").answered(503);
		}
		server.end();

		String[] sent = traceparent(request);
		assertThat(sent[1]).isEqualTo(server.context().traceId());
		assertThat(sent[2]).isNotEqualTo(server.context().spanId());
		assertThat(sent[3]).isEqualTo("01");
		MutableSpan call = this.finished.get(0);
		assertThat(call.id()).isEqualTo(sent[2]);
		assertThat(call.parentId()).isEqualTo(server.context().spanId());
		assertThat(call.name()).isEqualTo("GET account");
		assertThat(call.kind()).isEqualTo(brave.Span.Kind.CLIENT);
		assertThat(call.remoteServiceName()).isEqualTo("account");
		assertThat(call.tag("http.status_code")).isEqualTo("503");
		assertThat(call.error()).isNull();
	}

	@Test
	void aCallWithoutAnAnswerEndsItsSpanInError() {
		Tracer tracer = tracer(Sampler.ALWAYS_SAMPLE);
		Span server = tracer.nextSpan().start();
		IOException refused = new IOException("Connection refused");
		try (Tracer.SpanInScope scope = tracer.withSpan(server)) {
			trace(tracer).call(request(), "account").failed(refused);
		}

		assertThat(this.finished).singleElement().satisfies((call) -> assertThat(call.error()).isSameAs(refused));
	}

	@Test
	void inAnUnsampledTraceACallGoesOnUnderTheServersSpanAndMakesNone() {
		Tracer tracer = tracer(Sampler.NEVER_SAMPLE);
		Span server = tracer.nextSpan().start();
		ClassicHttpRequest request = request();
		try (Tracer.SpanInScope scope = tracer.withSpan(server)) {
			trace(tracer).call(request, "account").answered(200);
		}
		server.end();

		String[] sent = traceparent(request);
		assertThat(sent[1]).isEqualTo(server.context().traceId());
		assertThat(sent[2]).isEqualTo(server.context().spanId());
		assertThat(sent[3]).isEqualTo("00");
		assertThat(this.finished).isEmpty();
	}

	@Test
	void aProxiedRequestCarriesTheServersSpanWhetherSampledOrNot() {
		Tracer tracer = tracer(Sampler.ALWAYS_SAMPLE);
		Span server = tracer.nextSpan().start();
		ClassicHttpRequest request = request();
		try (Tracer.SpanInScope scope = tracer.withSpan(server)) {
			trace(tracer).inject(request);
		}

		String[] sent = traceparent(request);
		assertThat(sent[1]).isEqualTo(server.context().traceId());
		assertThat(sent[2]).isEqualTo(server.context().spanId());
		assertThat(this.finished).isEmpty();
	}

	@Test
	void withoutACurrentSpanOrATracerNothingIsWritten() {
		Tracer tracer = tracer(Sampler.ALWAYS_SAMPLE);
		ClassicHttpRequest outsideAnySpan = request();
		trace(tracer).call(outsideAnySpan, "account").answered(200);
		ClassicHttpRequest untraced = request();
		OutboundTrace.none().call(untraced, "account").answered(200);
		OutboundTrace.none().inject(untraced);

		assertThat(traceparent(outsideAnySpan)[2]).isEqualTo("2222222222222222");
		assertThat(traceparent(untraced)[2]).isEqualTo("2222222222222222");
		assertThat(this.finished).isEmpty();
		assertThat(OutboundTrace.of(tracer, null)).isSameAs(OutboundTrace.none());
	}

}
