package dev.bffgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project around it/: deploy/, the Dockerfile, the BFFs' build output. */
final class ProjectFiles {

	private ProjectFiles() {
	}

	static Path root() {
		String root = System.getProperty("project.root");
		Path path = (root != null) ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
		if (!Files.isRegularFile(path.resolve("Dockerfile"))) {
			throw new IllegalStateException("not the project root (no Dockerfile): " + path);
		}
		return path;
	}

}
