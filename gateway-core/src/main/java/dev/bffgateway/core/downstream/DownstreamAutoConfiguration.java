package dev.bffgateway.core.downstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.bffgateway.core.downstream.DependenciesProperties.Settings;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.SideSelector;
import dev.bffgateway.core.routing.StickyKey;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * A {@link Downstream} with one {@link DownstreamClient} per configured dependency.
 *
 * <p>Each client starts from Boot's {@link RestClient.Builder} (message converters, observation and with it
 * {@code traceparent} propagation) and gets its own Apache HttpClient 5 (classic, blocking on the part's
 * virtual thread): its own keep-alive pool, as large as the dependency's bulkhead, and its own timeouts. The JDK
 * client it replaced handed every response through its selector thread and executor; under 200 dashboards a
 * second that added about 11 ms to each call (bench/dashboard.sh, docs/benchmarks.md P3).
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class,
		afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@EnableConfigurationProperties(DependenciesProperties.class)
public final class DownstreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Downstream downstream(DependenciesProperties dependencies, RestClient.Builder restClientBuilder,
			CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads, MeterRegistry meters,
			@Value("${gateway.security.user-header:X-User-Id}") String userHeader) {
		List<DownstreamClient> clients = new ArrayList<>();
		SideSelector selector = new SideSelector();
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			CircuitBreaker breaker = breakers.circuitBreaker(name);
			Bulkhead bulkhead = bulkheads.bulkhead(name);
			int pool = bulkhead.getBulkheadConfig().getMaxConcurrentCalls();
			DownstreamClient.Strangling strangling = null;
			if (settings.newBaseUrl() != null) {
				// the new side gets its own breaker, configured like the dependency's, so a failing new service
				// opens only its own side and calls fall back to legacy
				Route route = new Route(name, List.of(), Set.of(), settings.baseUrl(), settings.newBaseUrl(),
						settings.weight(), StickyKey.NONE);
				strangling = new DownstreamClient.Strangling(restClient(restClientBuilder, settings.newBaseUrl(), settings, pool),
						breakers.circuitBreaker(name + ":new", breaker.getCircuitBreakerConfig()), route, selector);
			}
			clients.add(new DownstreamClient(name, restClient(restClientBuilder, settings.baseUrl(), settings, pool), breaker,
					bulkhead, strangling, meters, userHeader));
		}
		return new Downstream(clients);
	}

	private static RestClient restClient(RestClient.Builder builder, URI baseUrl, Settings settings, int pool) {
		HttpClientSettings http = HttpClientSettings.defaults()
			.withTimeouts(settings.connectTimeout(), settings.readTimeout());
		return builder.clone()
			.baseUrl(baseUrl.toString())
			// the pool is as large as the bulkhead, which refuses first; a lease never waits past the connect timeout
			.requestFactory(PooledHttpClient
				.configure(ClientHttpRequestFactoryBuilder.httpComponents(), pool, pool, settings.connectTimeout())
				.build(http))
			.build();
	}

}
