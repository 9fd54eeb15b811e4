package dev.bffgateway.core.routing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.bffgateway.core.circuit.SharedCircuits;
import dev.bffgateway.core.resilience.CircuitBreakerProperties;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The strangling capability: the live route table from {@code gateway.routes.file} (strangler routes and the
 * strangled dependencies' weights, reloaded together through one validated swap), the {@link Strangler} both the
 * proxy and the dependency clients serve through, its metrics and {@code /actuator/strangler}.
 */
@AutoConfiguration(afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@EnableConfigurationProperties(RoutesProperties.class)
public final class RoutingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RoutesSource routesSource(RoutesProperties properties) {
		String file = properties.file();
		if (file == null || file.isBlank()) {
			return new NoRoutes();
		}
		if (file.startsWith(ResourceRoutesSource.PREFIX)) {
			return new ResourceRoutesSource(file, RoutingAutoConfiguration.class.getClassLoader());
		}
		return new FileRoutesSource(Path.of(file));
	}

	@Bean
	@ConditionalOnMissingBean
	RouteTables routeTables(RoutesSource source, Clock clock, ObjectProvider<DependencyRoutes> dependencies,
			CircuitBreakerProperties breakers, Environment environment) {
		List<Route> strangled = dependencies.stream().flatMap((d) -> d.routes().stream()).toList();
		Set<String> names = new TreeSet<>();
		dependencies.forEach((d) -> names.addAll(d.names()));
		Set<String> configs = new TreeSet<>(breakers.getConfigs().keySet());
		configs.add(Route.DEFAULT_BREAKER);
		// a route may store its writes only where the BFF has a request store (the replay capability's settings)
		boolean store = environment.getProperty("gateway.replay.enabled", Boolean.class, true)
				&& !environment.getProperty("gateway.replay.table", "").isBlank()
				&& !environment.getProperty("gateway.replay.queue-url", "").isBlank();
		return new RouteTables(source, new RouteTableParser(strangled, names, configs, store), clock);
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

	@Bean
	@ConditionalOnMissingBean
	SideSelector sideSelector() {
		return new SideSelector();
	}

	@Bean
	@ConditionalOnMissingBean
	Strangler strangler(SideSelector selector, CircuitBreakerRegistry breakers, MeterRegistry meters) {
		return new Strangler(selector, breakers, meters);
	}

	@Bean(initMethod = "start")
	RoutesWatcher routesWatcher(RouteTables tables, RoutesSource source, RoutesProperties properties) {
		boolean watch = source instanceof FileRoutesSource && !properties.pollInterval().isZero();
		return new RoutesWatcher(tables, watch ? properties.pollInterval() : null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StranglerEndpoint stranglerEndpoint(RouteTables tables, Strangler strangler,
				ObjectProvider<SharedCircuits> circuits, MeterRegistry meters) {
			return new StranglerEndpoint(tables, strangler, circuits.getIfAvailable(), meters);
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
