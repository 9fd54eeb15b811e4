package dev.bffgateway.core.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A routes file on disk, e.g. mounted into a container; read afresh on every call. */
record FileRoutesSource(Path path) implements RoutesSource {

	@Override
	public String name() {
		return this.path.toString();
	}

	@Override
	public String read() throws IOException {
		return Files.readString(this.path, StandardCharsets.UTF_8);
	}

}
