package dev.bffgateway.core.proxy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.bffgateway.core.downstream.OutboundTrace;
import dev.bffgateway.core.downstream.PooledHttpClient;
import dev.bffgateway.core.replay.CriticalWrites;
import dev.bffgateway.core.shadow.ShadowRuns;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.RoutesProperties;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import dev.bffgateway.core.routing.Strangler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpComponentsHttpClientBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.cloud.gateway.server.mvc.GatewayServerMvcAutoConfiguration;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The strangler proxy: every path a route of the live table takes is served through Gateway Server MVC by the
 * {@link Strangler}; {@code /dashboard} and the actuator are matched first. Off with
 * {@code gateway.routes.enabled=false}.
 *
 * <p>The proxy has its own HTTP client, never shared with the dependency clients or anything else: Apache
 * HttpClient 5 from Boot's {@code HttpComponentsHttpClientBuilder}, used by {@link FaithfulProxyExchange} with no
 * {@code RestClient} in between (issue 16: one pass over the headers, no client observation per request), classic
 * blocking I/O on the request's virtual thread
 * (measured in bench/proxy.sh, the JDK client's selector thread and asynchronous hand-offs cost several times
 * more per request), with Boot's {@code spring.http.clients.*} settings (redirects handed back to the client,
 * bounded waits), a pool sized for real concurrency ({@code gateway.routes.max-connections-per-backend}; Apache's
 * own default, 5 per backend, starves it), no transparent decompression (a proxy passes bodies as they are) and
 * no headers of its own: no {@code User-Agent} where the client sent none, no {@code Connection: keep-alive}.
 */
@AutoConfiguration(after = { RoutingAutoConfiguration.class, HttpClientAutoConfiguration.class,
		RestClientAutoConfiguration.class }, before = GatewayServerMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "gateway.routes.enabled", matchIfMissing = true)
public final class ProxyAutoConfiguration {

	private static final int MAX_CONNECTIONS_TOTAL = 2000;

	/** A request finding every pooled connection busy waits at most this long. */
	private static final Duration POOL_WAIT = Duration.ofSeconds(1);

	/**
	 * The proxy's own Apache client: Boot's settings, the proxy's pool; a bean (closed with the context, and its pool
	 * with it) of its own type, never a {@link ClientHttpRequestFactory} (Gateway MVC applies any such bean to
	 * Boot's shared builder).
	 */
	@Bean
	ProxyHttpClient proxyHttpClient(RoutesProperties properties, HttpClientSettings settings) {
		int perBackend = properties.maxConnectionsPerBackend();
		return new ProxyHttpClient(PooledHttpClient
			.configure(new HttpComponentsHttpClientBuilder(), perBackend, Math.max(perBackend, MAX_CONNECTIONS_TOTAL),
					POOL_WAIT)
			.withCustomizer((client) -> client.disableContentCompression()
				.disableDefaultUserAgent()
				.addRequestInterceptorLast(ProxyAutoConfiguration::noDefaultKeepAlive))
			.build(settings));
	}

	/**
	 * Gateway MVC's exchange on the proxy's own client, faithful to what the client sent ({@link FaithfulProxyExchange});
	 * the current trace goes with each request when the BFF traces.
	 */
	@Bean
	ProxyExchange proxyExchange(ProxyHttpClient client, GatewayMvcProperties properties, ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator) {
		return new FaithfulProxyExchange(client.client(), properties.getStreamingMediaTypes(),
				OutboundTrace.of(tracer.getIfUnique(), propagator.getIfUnique()));
	}

	/**
	 * Apache marks every HTTP/1.1 request {@code Connection: keep-alive}, which HTTP/1.1 means without saying; the
	 * backend gets the request without it, as from nginx. A client's own {@code Connection} never gets here.
	 */
	private static void noDefaultKeepAlive(HttpRequest request, @Nullable EntityDetails entity, HttpContext context) {
		Header connection = request.getFirstHeader(HttpHeaders.CONNECTION);
		if (connection != null && "keep-alive".equalsIgnoreCase(connection.getValue())) {
			request.removeHeaders(HttpHeaders.CONNECTION);
		}
	}

	/** The proxy's Apache client, closed with the context. */
	record ProxyHttpClient(CloseableHttpClient client) implements AutoCloseable {

		@Override
		public void close() throws IOException {
			this.client.close();
		}

	}

	/**
	 * The parallel runs of routes that declare {@code shadow}, on a pooled client of their own (Boot's settings: no
	 * redirects followed; no automatic retries; the read waits at most 5 s), so shadow calls never take the proxy's
	 * connections.
	 */
	@Bean
	ShadowRuns shadowRuns(Strangler strangler, RestClient.Builder builder, HttpClientSettings settings,
			MeterRegistry meters, Clock clock, @Value("${gateway.shadow.max-concurrent:20}") int maxConcurrent) {
		RestClient client = builder.clone()
			.requestFactory(PooledHttpClient
				.configure(ClientHttpRequestFactoryBuilder.httpComponents(), maxConcurrent,
						Math.max(200, maxConcurrent), Duration.ofSeconds(1))
				.build(settings.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5))))
			.build();
		return new ShadowRuns(strangler, client, meters, () -> ThreadLocalRandom.current().nextDouble(), clock,
				maxConcurrent);
	}

	@Bean
	StranglerHandler stranglerHandler(RouteTables tables, Strangler strangler, RoutesProperties properties,
			ObjectProvider<RouteShaper> shaper, MeterRegistry meters, ObjectProvider<CriticalWrites> critical,
			ShadowRuns shadows) {
		RouteRetries retries = new RouteRetries(properties.retry(), meters,
				() -> ThreadLocalRandom.current().nextDouble(), System::nanoTime);
		return new StranglerHandler(tables, strangler, HandlerFunctions.http(), properties.forceOverride(),
				shaper.getIfUnique(), retries, critical.getIfAvailable(), shadows);
	}

	@Bean
	RouterFunction<ServerResponse> stranglerRoutes(StranglerHandler handler) {
		return RouterFunctions.route(handler.predicate(), handler);
	}

}
