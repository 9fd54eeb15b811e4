package dev.bffgateway.partner;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Partner settings, key hashes above all, from SSM Parameter Store instead of a packaged file: when
 * {@code partner.keys.ssm-path} ({@code PARTNER_KEYS_SSM_PATH}) names a path, every parameter under it named
 * {@code <path>/<partner>/<key>} (SecureString, decrypted; e.g. {@code /bff/partners/acme/api-key-sha256}) becomes
 * {@code partner.partners.<partner>.<key>}, above every other source. Read once at startup (on Lambda, in the init
 * phase: a rotated key takes effect with the next published version); if the store cannot be read the BFF does
 * not start, naming the path, rather than serve partners without their keys. Parameter values are never logged.
 *
 * <p>{@code partner.keys.ssm-endpoint} overrides the endpoint (tests against a local SSM); the region is
 * {@code AWS_REGION}, as on Lambda.
 */
public final class PartnerKeysFromSsm implements EnvironmentPostProcessor {

	static final String PATH = "partner.keys.ssm-path";

	static final String ENDPOINT = "partner.keys.ssm-endpoint";

	static final String SOURCE = "partnerKeysFromSsm";

	private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-]+)/([a-z0-9-]+)");

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String path = environment.getProperty(PATH, environment.getProperty("PARTNER_KEYS_SSM_PATH", ""));
		if (path.isBlank()) {
			return;
		}
		String prefix = path.endsWith("/") ? path : path + "/";
		Map<String, Object> properties = new LinkedHashMap<>();
		try (SsmClient ssm = client(environment)) {
			GetParametersByPathRequest request = GetParametersByPathRequest.builder()
				.path(path)
				.recursive(true)
				.withDecryption(true)
				.build();
			for (Parameter parameter : ssm.getParametersByPathPaginator(request).stream()
				.flatMap((page) -> page.parameters().stream())
				.toList()) {
				Matcher name = NAME.matcher(parameter.name().startsWith(prefix) ? parameter.name().substring(prefix.length()) : "");
				if (name.matches()) {
					properties.put("partner.partners." + name.group(1) + "." + name.group(2), parameter.value());
				}
			}
		}
		catch (SdkException ex) {
			throw new IllegalStateException(PATH + " names an SSM path that cannot be read, but was '" + path + "' ("
					+ ex.getClass().getSimpleName() + ")", ex);
		}
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, properties));
	}

	private static SsmClient client(ConfigurableEnvironment environment) {
		SsmClientBuilder builder = SsmClient.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT))
			.overrideConfiguration((config) -> config.apiCallTimeout(TIMEOUT.multipliedBy(3)));
		String region = environment.getProperty("AWS_REGION");
		if (region != null && !region.isBlank()) {
			builder.region(Region.of(region));
		}
		String endpoint = environment.getProperty(ENDPOINT);
		if (endpoint != null && !endpoint.isBlank()) {
			builder.endpointOverride(URI.create(endpoint));
		}
		return builder.build();
	}

}
