package dev.bffgateway.core.config;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves auto-configurations out on the Lambda edge ({@link LambdaProfile}): Tomcat, which must not start there
 * (requests arrive as events through ServerlessMVC), and what only lengthens the cold start (measured with
 * {@code bench/lambda-cold-start.sh}). An import filter rather than {@code spring.autoconfigure.exclude}, so that
 * a BFF's own excludes add to these instead of replacing them. Spring AOT applies it at build time: the context
 * generated for the {@code lambda} profile has none of these.
 */
final class LambdaAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	/** The auto-configurations left out on the Lambda edge, by class name. */
	static final Set<String> LEFT_OUT = Set.of(
			// no web server: requests arrive as events; no multipart parsing either
			"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration",
			"org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration",
			// actuator endpoints and the management context: they fail under ServerlessMVC
			"org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.beans.BeansEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.condition.ConditionsReportEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.context.ShutdownEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.logging.LogFileWebEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.management.HeapDumpWebEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.management.ThreadDumpEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.sbom.SbomEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.scheduling.ScheduledTasksEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.startup.StartupEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.exchanges.HttpExchangesEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.mappings.MappingsEndpointAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration",
			"org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.application.DiskSpaceHealthContributorAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.application.SslHealthContributorAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration",
			"org.springframework.cloud.autoconfigure.LifecycleMvcEndpointAutoConfiguration",
			"org.springframework.cloud.autoconfigure.RefreshEndpointAutoConfiguration",
			"org.springframework.cloud.function.context.config.FunctionsEndpointAutoConfiguration",
			// metrics leave as EMF from a simple registry: no Prometheus, no JVM/system/logback/task/client meters
			"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.ssl.SslMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.startup.StartupTimeMetricsListenerAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.system.SystemMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
			"org.springframework.boot.http.client.autoconfigure.metrics.HttpClientMetricsAutoConfiguration",
			// task executors and schedulers, RestTemplate, the reactive HTTP client, method validation: unused here
			"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
			"org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
			"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
			"org.springframework.boot.restclient.autoconfigure.RestTemplateObservationAutoConfiguration",
			"org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
			"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
			// Spring Cloud Function's catalog (HTTP only here)
			"org.springframework.cloud.function.cloudevent.CloudEventsFunctionExtensionConfiguration",
			"org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration",
			"org.springframework.cloud.function.context.config.KotlinLambdaToFunctionAutoConfiguration",
			// Spring Cloud Commons: discovery, load balancer, refresh, compatibility checks (unused here)
			"org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration",
			"org.springframework.cloud.autoconfigure.RefreshAutoConfiguration",
			"org.springframework.cloud.client.CommonsClientAutoConfiguration",
			"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
			"org.springframework.cloud.client.hypermedia.CloudHypermediaAutoConfiguration",
			"org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration",
			"org.springframework.cloud.client.loadbalancer.LoadBalancerDefaultMappingsProviderAutoConfiguration",
			"org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration",
			"org.springframework.cloud.commons.security.ResourceServerTokenRelayAutoConfiguration",
			"org.springframework.cloud.commons.util.UtilAutoConfiguration",
			"org.springframework.cloud.configuration.CompatibilityVerifierAutoConfiguration",
			"org.springframework.cloud.gateway.server.mvc.GatewayMvcClassPathWarningAutoConfiguration",
			// springdoc: the OpenAPI document is served by the container edge
			"org.springdoc.core.configuration.SpringDocConfiguration",
			"org.springdoc.core.configuration.SpringDocSpecPropertiesConfiguration",
			"org.springdoc.core.properties.SpringDocConfigProperties",
			"org.springdoc.webmvc.core.configuration.MultipleOpenApiSupportConfiguration",
			"org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration");

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	/**
	 * @return for each candidate, whether it may be imported: all of them but {@link #LEFT_OUT} on the Lambda
	 * edge, all of them elsewhere ({@code null} marks a candidate an earlier filter removed)
	 */
	@Override
	public boolean[] match(@Nullable String[] autoConfigurationClasses,
			AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean lambda = this.environment != null && LambdaProfile.isActive(this.environment);
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = !lambda || candidate == null || !LEFT_OUT.contains(candidate);
		}
		return matches;
	}

}
