package dev.bffgateway.core.downstream;

import java.time.Duration;
import java.util.function.Consumer;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpComponentsHttpClientBuilder;

/**
 * How every outbound Apache HttpClient 5 of a BFF is set up — the dashboard's dependency clients and the strangler
 * proxy alike: a keep-alive pool of a given size whose lease waits are bounded (Apache's default is 3 minutes),
 * idle connections checked before reuse after a second of rest and evicted after 30 s (so a backend's keep-alive
 * timeout does not turn into failed requests), no cookie store (Apache keeps one per client by default, which
 * would carry one user's {@code Set-Cookie} into the next user's call), and no automatic retries: Apache's default
 * re-sends a request whose connection closed without an answer, an unbudgeted retry that doubles the load on a
 * failing service and shows in no metric. Every retry is the BFF's own, explicit decision.
 */
public final class PooledHttpClient {

	private PooledHttpClient() {
	}

	/**
	 * @param builder Boot's builder (timeouts and redirects already applied from its settings)
	 * @param maxPerRoute most connections to one scheme, host and port
	 * @param maxTotal most connections in all
	 * @param leaseWait the longest a call waits for a pooled connection when all are busy
	 * @return the builder with the pool and the settings above
	 */
	public static HttpComponentsClientHttpRequestFactoryBuilder configure(
			HttpComponentsClientHttpRequestFactoryBuilder builder, int maxPerRoute, int maxTotal, Duration leaseWait) {
		return builder.withConnectionManagerCustomizer(pool(maxPerRoute, maxTotal))
			.withConnectionConfigCustomizer(PooledHttpClient::connection)
			.withDefaultRequestConfigCustomizer(leaseWait(leaseWait))
			.withHttpClientCustomizer(PooledHttpClient::client);
	}

	/**
	 * The same, for a bare Apache client (no Spring request factory around it): the strangler proxy's.
	 * @param builder Boot's builder of Apache clients (its settings applied by {@code build(settings)})
	 * @param maxPerRoute most connections to one scheme, host and port
	 * @param maxTotal most connections in all
	 * @param leaseWait the longest a call waits for a pooled connection when all are busy
	 * @return the builder with the pool and the settings above
	 */
	public static HttpComponentsHttpClientBuilder configure(HttpComponentsHttpClientBuilder builder, int maxPerRoute,
			int maxTotal, Duration leaseWait) {
		return builder.withConnectionManagerCustomizer(pool(maxPerRoute, maxTotal))
			.withConnectionConfigCustomizer(PooledHttpClient::connection)
			.withDefaultRequestConfigCustomizer(leaseWait(leaseWait))
			.withCustomizer(PooledHttpClient::client);
	}

	private static Consumer<PoolingHttpClientConnectionManagerBuilder> pool(int maxPerRoute, int maxTotal) {
		return (pool) -> pool.setMaxConnPerRoute(maxPerRoute).setMaxConnTotal(maxTotal);
	}

	private static void connection(ConnectionConfig.Builder connection) {
		connection.setValidateAfterInactivity(TimeValue.ofSeconds(1));
	}

	private static Consumer<RequestConfig.Builder> leaseWait(Duration leaseWait) {
		return (request) -> request.setConnectionRequestTimeout(Timeout.ofMilliseconds(leaseWait.toMillis()));
	}

	private static void client(HttpClientBuilder client) {
		client.evictIdleConnections(TimeValue.ofSeconds(30)).disableCookieManagement().disableAutomaticRetries();
	}

}
