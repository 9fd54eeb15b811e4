package dev.bffgateway.core.routing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.Resource;

/** A routes file packaged with the application (e.g. {@code classpath:routes/web-bff.yml} on Lambda). */
record ResourceRoutesSource(String name, Resource resource) implements RoutesSource {

	@Override
	public String read() throws IOException {
		try (InputStream in = this.resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
