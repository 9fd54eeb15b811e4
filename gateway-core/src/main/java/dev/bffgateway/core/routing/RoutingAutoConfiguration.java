package dev.bffgateway.core.routing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.bffgateway.core.circuit.SharedCircuits;
import dev.bffgateway.core.config.AwsClients;
import dev.bffgateway.core.config.LambdaProfile;
import dev.bffgateway.core.resilience.CircuitBreakerProperties;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ssm.SsmClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The strangling capability: the live route table from {@code gateway.routes.ssm.parameter} or
 * {@code gateway.routes.file} (strangler routes and the strangled dependencies' weights, reloaded together through
 * one validated swap), the {@link Strangler} both the proxy and the dependency clients serve through, its metrics and
 * {@code /actuator/strangler}. The source is chosen when the bean is made, not by conditions, so the Lambda edge's
 * Spring AOT context, generated at build time, still reads the parameter the function's environment names.
 */
@AutoConfiguration(afterName = "dev.bffgateway.core.resilience.ResilienceAutoConfiguration")
@EnableConfigurationProperties(RoutesProperties.class)
public final class RoutingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RoutesSource routesSource(RoutesProperties properties) {
		RoutesProperties.Ssm ssm = properties.ssm();
		if (ssm.enabled()) {
			SsmClient client = AwsClients.configure(SsmClient.builder(), ssm.timeout(), ssm.endpoint(), ssm.region(),
					"gateway.routes.ssm").build();
			return new SsmRoutesSource(client, String.valueOf(ssm.parameter()));
		}
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

	/** A file is cheap to read: every poll interval; a parameter is a billed call: every max age. */
	@Bean(initMethod = "start")
	RoutesWatcher routesWatcher(RouteTables tables, RoutesSource source, RoutesProperties properties) {
		Duration interval = switch (source) {
			case FileRoutesSource file -> properties.pollInterval();
			case SsmRoutesSource ssm -> properties.ssm().maxAge();
			default -> null;
		};
		return new RoutesWatcher(tables, properties.pollInterval().isZero() ? null : interval);
	}

	@Configuration(proxyBeanMethods = false)
	@Profile(LambdaProfile.NAME)
	static class LambdaConfiguration {

		/**
		 * A parameter's table refreshed at the start of an invocation when stale. Always a registration (the servlet
		 * context takes no null one), disabled unless the table comes from SSM.
		 */
		@Bean
		FilterRegistrationBean<RoutesRefreshFilter> routesRefreshFilter(RouteTables tables, RoutesSource source,
				RoutesProperties properties) {
			RoutesProperties.Ssm ssm = properties.ssm();
			@Nullable RouteTables refreshed = (source instanceof SsmRoutesSource) ? tables : null;
			FilterRegistrationBean<RoutesRefreshFilter> registration = new FilterRegistrationBean<>(
					new RoutesRefreshFilter(refreshed, ssm.maxAge(), ssm.invocationTimeout(), ssm.timeout(),
							System::nanoTime));
			// after the Lambda edge's filters and the shared circuits' sync: before security, before any route is chosen
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
			registration.setEnabled(refreshed != null);
			return registration;
		}

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
