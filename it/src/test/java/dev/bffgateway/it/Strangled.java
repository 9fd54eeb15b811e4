package dev.bffgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

/**
 * A legacy system and the new service replacing it, as WireMock servers on random loopback ports, and a
 * routes file pointing at them that tests edit on disk while the BFF runs.
 */
final class Strangled {

	static final WireMockServer LEGACY = Downstreams.start();

	static final WireMockServer NEW = Downstreams.start();

	static final Path ROUTES_FILE = createRoutesFile();

	private Strangled() {
	}

	private static Path createRoutesFile() {
		return routesFile("web-bff.yml", table(30));
	}

	/** A routes file of its own, in a fresh temporary folder, removed when the JVM exits. */
	static Path routesFile(String name, String content) {
		try {
			Path dir = Files.createTempDirectory("routes");
			Path file = dir.resolve(name);
			Files.writeString(file, content);
			dir.toFile().deleteOnExit();
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The test table: {@code orders} split by weight on X-User-Id (which the BFF sets from the verified token);
	 * {@code echo} all-new, per request; {@code public} all-legacy and open to anonymous callers.
	 */
	static String table(int ordersWeight) {
		return """
				routes:
				  - id: orders
				    paths: [/orders, /orders/**]
				    legacy-uri: %1$s
				    new-uri: %2$s
				    weight: %3$d
				    sticky:
				      header: X-User-Id
				  - id: echo
				    paths: [/echo/**]
				    legacy-uri: %1$s
				    new-uri: %2$s
				    weight: 100
				  - id: public
				    paths: [/public/**]
				    legacy-uri: %1$s
				    new-uri: %2$s
				    weight: 0
				    auth: none
				""".formatted(LEGACY.baseUrl(), NEW.baseUrl(), ordersWeight);
	}

	static void write(String content) {
		try {
			Path temp = ROUTES_FILE.resolveSibling("web-bff.yml.tmp");
			Files.writeString(temp, content);
			// swap in whole, as ops tooling (and a ConfigMap) does: the watcher never reads half a file
			Files.move(temp, ROUTES_FILE, StandardCopyOption.REPLACE_EXISTING,
					StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Both sides answer 200 with their name. */
	static void healthy() {
		for (WireMockServer server : new WireMockServer[] { LEGACY, NEW }) {
			server.resetAll();
			String side = (server == LEGACY) ? "legacy" : "new";
			server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"servedBy\":\"" + side + "\"}")));
		}
	}

}
