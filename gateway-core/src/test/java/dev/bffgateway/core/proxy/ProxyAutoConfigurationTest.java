package dev.bffgateway.core.proxy;

import dev.bffgateway.core.resilience.ResilienceAutoConfiguration;
import dev.bffgateway.core.routing.RoutingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.http.client.ClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's HTTP client is its own: nothing else built from Boot's shared builder gets its pool or settings. */
class ProxyAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				ResilienceAutoConfiguration.class, RoutingAutoConfiguration.class, ProxyAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(GatewayMvcProperties.class, GatewayMvcProperties::new);

	@Test
	void theProxyHasItsOwnClientAndExchangeAndSharesNeither() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ProxyAutoConfiguration.ProxyHttpClient.class).client()).isNotNull();
			// Gateway MVC puts any ClientHttpRequestFactory bean on Boot's shared RestClient.Builder
			assertThat(context.getBeansOfType(ClientHttpRequestFactory.class)).isEmpty();
			assertThat(context.getBean(ProxyExchange.class)).isInstanceOf(FaithfulProxyExchange.class);
		});
	}

	@Test
	void offWhenRoutesAreOff() {
		this.runner.withPropertyValues("gateway.routes.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ProxyAutoConfiguration.ProxyHttpClient.class);
			assertThat(context).doesNotHaveBean(StranglerHandler.class);
		});
	}

}
