package dev.bffgateway.core.downstream;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import dev.bffgateway.core.downstream.DependenciesProperties.Settings;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

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
 * {@code traceparent} propagation) and gets its own JDK {@link HttpClient}: its own connection pool and
 * timeouts, HTTP/1.1 (the JDK client would otherwise try an h2c upgrade on every new connection).
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class,
		afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@EnableConfigurationProperties(DependenciesProperties.class)
public final class DownstreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Downstream downstream(DependenciesProperties dependencies, RestClient.Builder restClientBuilder,
			CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads, MeterRegistry meters) {
		List<DownstreamClient> clients = new ArrayList<>();
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			HttpClientSettings http = HttpClientSettings.defaults()
				.withTimeouts(settings.connectTimeout(), settings.readTimeout());
			RestClient restClient = restClientBuilder.clone()
				.baseUrl(settings.baseUrl().toString())
				.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
					.withHttpClientCustomizer((builder) -> builder.version(HttpClient.Version.HTTP_1_1))
					.build(http))
				.build();
			clients.add(new DownstreamClient(name, restClient, breakers.circuitBreaker(name),
					bulkheads.bulkhead(name), meters));
		}
		return new Downstream(clients);
	}

}
