package dev.bffgateway.core.config;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LambdaAutoConfigurationFilterTest {

	private static final String TOMCAT = "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration";

	private static final String WEB_MVC = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration";

	private static final String EDGE = "dev.bffgateway.core.edge.EdgeAutoConfiguration";

	private static final String[] CANDIDATES = { TOMCAT, WEB_MVC, null, EDGE,
			"org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration" };

	static LambdaAutoConfigurationFilter filter(String... profiles) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.setActiveProfiles(profiles);
		LambdaAutoConfigurationFilter filter = new LambdaAutoConfigurationFilter();
		filter.setEnvironment(environment);
		return filter;
	}

	@Test
	void leavesOutTomcatAndTheColdStartListOnTheLambdaEdge() {
		assertThat(filter("prod", LambdaProfile.NAME).match(CANDIDATES, null)).containsExactly(false, true, true,
				true, false);
	}

	@Test
	void leavesEverythingInElsewhere() {
		assertThat(filter().match(CANDIDATES, null)).containsExactly(true, true, true, true, true);
		assertThat(filter("prod").match(CANDIDATES, null)).containsExactly(true, true, true, true, true);
	}

	@Test
	void namesTheListOnce() {
		assertThat(LambdaAutoConfigurationFilter.LEFT_OUT).hasSize(73).contains(TOMCAT).doesNotContain(WEB_MVC, EDGE);
	}

	@Test
	void isRegisteredAsAnImportFilterSoABffsOwnExcludesAddToIt() throws IOException {
		List<AutoConfigurationImportFilter> filters = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(AutoConfigurationImportFilter.class);

		assertThat(filters).filteredOn(LambdaAutoConfigurationFilter.class::isInstance).hasSize(1);
		assertThat(PropertiesLoaderUtils.loadProperties(new ClassPathResource("META-INF/gateway-lambda.properties")))
			.doesNotContainKey("spring.autoconfigure.exclude");
	}

}
