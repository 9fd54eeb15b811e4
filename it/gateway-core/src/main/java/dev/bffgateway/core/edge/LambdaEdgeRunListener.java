package dev.bffgateway.core.edge;

import java.util.Objects;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;

/**
 * Names the BFF's application class as the main class when the Lambda edge starts it. Boot deduces the main
 * class from a {@code main} frame on the stack, and the Lambda adapter starts the application on a thread
 * without one; with {@code spring.aot.enabled=true} Boot needs the main class to find the context initializer
 * and environment post-processor generated at build time.
 */
public final class LambdaEdgeRunListener implements SpringApplicationRunListener {

	public LambdaEdgeRunListener(SpringApplication application, String[] args) {
		if (application.getMainApplicationClass() != null
				|| !application.getAllSources().contains(LambdaEdgeConfiguration.class)) {
			return;
		}
		application.getAllSources()
			.stream()
			.filter((source) -> source instanceof Class<?> && !Objects.equals(source, LambdaEdgeConfiguration.class))
			.map((source) -> (Class<?>) source)
			.findFirst()
			.ifPresent(application::setMainApplicationClass);
	}

}
