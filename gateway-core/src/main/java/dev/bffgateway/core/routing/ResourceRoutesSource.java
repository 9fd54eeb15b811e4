package dev.bffgateway.core.routing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A routes file packaged with the application (e.g. {@code classpath:routes/web-bff.yml} on Lambda).
 *
 * @param name the location as configured, {@code classpath:} included
 * @param classLoader the loader that finds it
 */
record ResourceRoutesSource(String name, ClassLoader classLoader) implements RoutesSource {

	static final String PREFIX = "classpath:";

	@Override
	public String read() throws IOException {
		String path = this.name.substring(PREFIX.length());
		try (InputStream in = this.classLoader.getResourceAsStream(path.startsWith("/") ? path.substring(1) : path)) {
			if (in == null) {
				throw new IOException("no such resource on the class path");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
