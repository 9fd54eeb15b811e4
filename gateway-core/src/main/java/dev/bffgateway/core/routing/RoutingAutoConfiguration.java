package dev.bffgateway.core.routing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.bffgateway.core.downstream.DependenciesProperties;
import dev.bffgateway.core.downstream.PooledHttpClient;
import dev.bffgateway.core.resilience.DependencyPolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Strangler routes from {@code gateway.routes.file}, proxied through Gateway Server MVC. Every path a route
 * of the live table takes is served by it; {@code /dashboard} and the actuator are matched first. Off with
 * {@code gateway.routes.enabled=false}.
 */
@AutoConfiguration(afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "gateway.routes.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ RoutesProperties.class, DependenciesProperties.class })
public final class RoutingAutoConfiguration {

	private static final int MAX_CONNECTIONS_TOTAL = 2000;

	/** A request finding every pooled connection busy waits at most this long. */
	private static final Duration POOL_WAIT = Duration.ofSeconds(1);

	@Bean
	@ConditionalOnMissingBean
	RoutesSource routesSource(RoutesProperties properties, ResourceLoader resources) {
		String file = properties.file();
		if (file == null || file.isBlank()) {
			return new NoRoutes();
		}
		if (file.startsWith(ResourceLoader.CLASSPATH_URL_PREFIX)) {
			return new ResourceRoutesSource(file, resources.getResource(file));
		}
		return new FileRoutesSource(Path.of(file));
	}

	@Bean
	@ConditionalOnMissingBean
	RouteTables routeTables(RoutesSource source, Clock clock) {
		return new RouteTables(source, new RouteTableParser(), clock);
	}

	/** {@code bff.strangler.reloads.rejected} and {@code bff.strangler.table.version}, for alerting on bad edits. */
	@Bean
	MeterBinder routeTableMetrics(RouteTables tables) {
		return (registry) -> {
			FunctionCounter.builder("bff.strangler.reloads.rejected", tables, RouteTables::rejectedReloads)
				.description("Routes file edits rejected as invalid (the last good table stayed)")
				.register(registry);
			Gauge.builder("bff.strangler.table.version", tables, (t) -> t.current().version())
				.description("Version of the route table in force")
				.register(registry);
		};
	}

	/**
	 * The proxy's HTTP client is Boot's auto-configured one ({@code spring.http.clients.*}, set in gateway-core's
	 * defaults: Apache HttpClient 5, classic blocking I/O on the request's virtual thread, redirects passed back to
	 * the caller). Measured in bench/proxy.sh, the JDK client's selector thread and asynchronous hand-offs cost
	 * several times more per request; Apache's own pool default (5 connections per backend) starves any real
	 * concurrency, so the pool is sized here ({@code gateway.routes.max-connections-per-backend}). Idle
	 * connections are checked before reuse after a second of rest and evicted after 30 s, so a backend's
	 * keep-alive timeout does not turn into failed requests. A proxy passes bodies and headers as they are: no
	 * cookie store (Apache's default keeps one per client, which would carry one user's {@code Set-Cookie} into
	 * the next user's request) and no transparent decompression.
	 */
	@Bean
	ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> proxyPoolCustomizer(
			RoutesProperties properties) {
		int perBackend = properties.maxConnectionsPerBackend();
		return (builder) -> PooledHttpClient
			.configure(builder, perBackend, Math.max(perBackend, MAX_CONNECTIONS_TOTAL), POOL_WAIT)
			.withHttpClientCustomizer(HttpClientBuilder::disableContentCompression);
	}

	@Bean
	@ConditionalOnMissingBean
	SideSelector sideSelector() {
		return new SideSelector();
	}

	@Bean
	StranglerHandler stranglerHandler(RouteTables tables, SideSelector selector, CircuitBreakerRegistry breakers,
			DependenciesProperties dependencies, RoutesProperties properties, Clock clock, MeterRegistry meters,
			ObjectProvider<RouteShaper> shaper) {
		return new StranglerHandler(tables, selector, HandlerFunctions.http(), breakers,
				DependencyPolicies.circuitBreaker(dependencies.defaults().breaker(), clock), properties.forceOverride(),
				meters, shaper.getIfUnique());
	}

	@Bean
	RouterFunction<ServerResponse> stranglerRoutes(StranglerHandler handler) {
		return RouterFunctions.route(handler.predicate(), handler);
	}

	@Bean
	RoutesWatcher routesWatcher(RouteTables tables, RoutesSource source, RoutesProperties properties) {
		boolean watch = source instanceof FileRoutesSource && !properties.pollInterval().isZero();
		return new RoutesWatcher(tables, watch ? properties.pollInterval() : null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StranglerEndpoint stranglerEndpoint(RouteTables tables, StranglerHandler handler, MeterRegistry meters) {
			return new StranglerEndpoint(tables, handler, meters);
		}

	}

	/** No routes file configured: an empty table. */
	record NoRoutes() implements RoutesSource {

		@Override
		public String name() {
			return "(no routes file: gateway.routes.file is not set)";
		}

		@Override
		public String read() {
			return "";
		}

	}

}
