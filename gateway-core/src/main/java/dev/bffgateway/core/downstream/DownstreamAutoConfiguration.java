package dev.bffgateway.core.downstream;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.bffgateway.core.downstream.DependenciesProperties.Settings;
import dev.bffgateway.core.aggregation.AggregationAutoConfiguration;
import dev.bffgateway.core.resilience.BudgetedRetry;
import dev.bffgateway.core.resilience.Hedge;
import dev.bffgateway.core.resilience.RetryBudget;
import dev.bffgateway.core.routing.DependencyRoutes;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.Strangler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.Tags;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.http.client.HttpComponentsHttpClientBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * A {@link Downstream} with one {@link DownstreamClient} per configured dependency.
 *
 * <p>Each client gets its own Apache HttpClient 5 (classic, blocking on the part's virtual thread, called without a
 * {@code RestClient} around it: {@link DownstreamClient}), the current trace on every call ({@link OutboundTrace}),
 * Boot's {@code spring.http.clients.*} settings (redirects never followed, as gateway-core's
 * defaults set them; SSL), the dependency's own timeouts, and its own keep-alive pool, as large as the
 * dependency's bulkhead. The JDK client it replaced handed every response through its selector thread and
 * executor; under 200 dashboards a second that added about 11 ms to each call (bench/dashboard.sh,
 * docs/benchmarks.md P3).
 *
 * <p>Strangled dependencies ({@code new-base-url}) are offered to the route table as {@link DependencyRoutes},
 * so their weights reload with it, and their clients serve through the {@link Strangler}.
 */
@AutoConfiguration(after = HttpClientAutoConfiguration.class,
		afterName = { "dev.bffgateway.core.resilience.ResilienceAutoConfiguration",
				"dev.bffgateway.core.routing.RoutingAutoConfiguration" })
@EnableConfigurationProperties(DependenciesProperties.class)
public final class DownstreamAutoConfiguration {

	/** Retries of dependency reads, by outcome; the budget's remaining places as {@code .budget}. */
	static final String RETRIES_METER = "bff.downstream.retries";

	/** Hedged reads, by outcome. */
	static final String HEDGES_METER = "bff.downstream.hedges";

	/** Successful calls measured before a hedged read waits for their p95 rather than the configured delay. */
	private static final long HEDGE_MINIMUM_CALLS = 50;

	/** How far back a dependency's requests count towards its retry budget. */
	private static final Duration BUDGET_WINDOW = Duration.ofSeconds(10);

	@Bean
	DependencyRoutes dependencyRoutes(DependenciesProperties dependencies, Environment environment) {
		refuseMovedKeys(environment);
		List<Route> routes = new ArrayList<>();
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			if (settings.newBaseUrl() != null) {
				routes.add(Route.dependency(name, settings.baseUrl(), settings.newBaseUrl(), settings.weight()));
			}
		}
		return new DependencyRoutes(routes, dependencies.names());
	}

	@Bean
	@ConditionalOnMissingBean
	Downstream downstream(DependenciesProperties dependencies, HttpClientSettings httpSettings, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
			Strangler strangler, RouteTables tables, MeterRegistry meters, ObjectProvider<JsonMapper> json,
			ResourceLoader resources, @Value("${gateway.security.user-header:X-User-Id}") String userHeader,
			@Qualifier(AggregationAutoConfiguration.FAN_OUT_EXECUTOR) ObjectProvider<ExecutorService> fanOut,
			ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		JsonMapper mapper = json.getIfAvailable(JsonMapper::shared);
		OutboundTrace trace = OutboundTrace.of(tracer.getIfUnique(), propagator.getIfUnique());
		List<DownstreamClient> clients = new ArrayList<>();
		for (String name : dependencies.names()) {
			Settings settings = dependencies.resolve(name);
			Bulkhead bulkhead = bulkheads.bulkhead(name);
			int pool = bulkhead.getBulkheadConfig().getMaxConcurrentCalls();
			DownstreamClient.Strangling strangling = null;
			if (settings.newBaseUrl() != null) {
				strangling = new DownstreamClient.Strangling(
						endpoint(httpSettings, settings.newBaseUrl(), settings, pool), strangler,
						(dependency) -> tables.current().dependency(dependency));
			}
			DownstreamClient.Body body = new DownstreamClient.Body(mapper, settings.maxBodySize().toBytes(),
					contract(name, settings.contract(), resources));
			clients.add(new DownstreamClient(name, endpoint(httpSettings, settings.baseUrl(), settings, pool),
					breakers.circuitBreaker(name), bulkhead, strangling, attempts(name, settings, meters, fanOut), meters,
					userHeader, body, trace));
		}
		return new Downstream(clients);
	}

	/** Compiled once, here: a schema that cannot be read or is not valid stops startup, naming key and value. */
	private static @Nullable ResponseContract contract(String name, @Nullable String location,
			ResourceLoader resources) {
		if (location == null || ResponseContract.NONE.equals(location)) {
			return null;
		}
		return ResponseContract.load(DependenciesProperties.PREFIX + ".instances." + name + ".contract", location,
				resources);
	}

	/** The dependency's retries and hedges: one budget over the last 10 s of its requests. */
	private static DownstreamClient.Attempts attempts(String name, Settings settings, MeterRegistry meters,
			ObjectProvider<ExecutorService> executor) {
		DependenciesProperties.Retry retry = settings.retry();
		RetryBudget budget = new RetryBudget(retry.budgetRatio(), retry.budgetMax(), BUDGET_WINDOW, System::nanoTime);
		Tags tags = Tags.of("dependency", name);
		BudgetedRetry retries = new BudgetedRetry(name,
				new BudgetedRetry.Policy(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff()), budget,
				BudgetedRetry::noAnswer, (answer) -> ((DownstreamClient.Answer<?>) answer).retryable(),
				() -> ThreadLocalRandom.current().nextDouble(), meters, RETRIES_METER, tags);
		DependenciesProperties.Hedge hedge = settings.hedge();
		if (!Boolean.TRUE.equals(hedge.enabled())) {
			return new DownstreamClient.Attempts(retries, null);
		}
		Supplier<Duration> delay = (hedge.percentile() == 0) ? hedge::delay
				: new HedgeDelay(() -> meters.find(DownstreamClient.CALLS_METER).tags(tags).tag("outcome", "success").timer(),
						hedge.percentile(), hedge.delay(), HEDGE_MINIMUM_CALLS, System::nanoTime);
		return new DownstreamClient.Attempts(retries,
				new Hedge(budget, delay, executor.getObject(), meters, HEDGES_METER, tags));
	}

	private static DownstreamClient.Endpoint endpoint(HttpClientSettings httpSettings, URI baseUrl, Settings settings,
			int pool) {
		HttpClientSettings http = httpSettings.withTimeouts(settings.connectTimeout(), settings.readTimeout());
		// the pool is as large as the bulkhead, which refuses first; a lease never waits past the connect timeout
		return DownstreamClient.Endpoint.of(PooledHttpClient
			.configure(new HttpComponentsHttpClientBuilder(), pool, pool, settings.connectTimeout())
			.build(http), baseUrl);
	}

	/** Breaker and bulkhead settings moved to Resilience4j's own keys: an old key stops startup, naming the new. */
	private static void refuseMovedKeys(Environment environment) {
		for (var source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream().map(Object::toString).filter((key) -> key.startsWith(DependenciesProperties.PREFIX + "."))
				.forEach((key) -> {
					String[] parts = key.split("\\.");
					// gateway.dependencies.defaults.breaker.x or gateway.dependencies.instances.<name>.breaker.x
					int at = "defaults".equals(parts[2]) ? 3 : 4;
					if (parts.length > at + 1 && ("breaker".equals(parts[at]) || "bulkhead".equals(parts[at]))) {
						String kind = "breaker".equals(parts[at]) ? "circuitbreaker" : "bulkhead";
						String scope = "defaults".equals(parts[2]) ? "configs.default" : "instances." + parts[3];
						throw new IllegalStateException(key + " is no longer read: set resilience4j." + kind + "."
								+ scope + "." + parts[parts.length - 1] + " instead (Resilience4j's own keys), but "
								+ key + " was set to '" + environment.getProperty(key) + "'");
					}
				});
		}
	}

}
