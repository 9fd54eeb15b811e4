package dev.bffgateway.core.routing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoutesWatcherTest {

	@TempDir
	Path dir;

	private RouteTables tablesOn(Path file) throws Exception {
		Files.writeString(file, RouteTablesTest.routes(30), StandardCharsets.UTF_8);
		return new RouteTables(new FileRoutesSource(file), new RouteTableParser(), Clock.systemUTC());
	}

	@Test
	void anEditedFileIsReloaded() throws Exception {
		Path file = this.dir.resolve("routes.yml");
		RouteTables tables = tablesOn(file);
		try (RoutesWatcher watcher = new RoutesWatcher(tables, Duration.ofMillis(10))) {
			watcher.start();
			assertThat(watcher.isRunning()).isTrue();

			Files.writeString(file, RouteTablesTest.routes(70), StandardCharsets.UTF_8);

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tables.current().version())
				.isEqualTo(2));
			assertThat(tables.current().routes()).extracting(Route::weight).containsExactly(70);
		}
	}

	@Test
	void startingTwiceKeepsOneWatcherAndCloseStopsIt() throws Exception {
		RoutesWatcher watcher = new RoutesWatcher(tablesOn(this.dir.resolve("routes.yml")), Duration.ofMinutes(1));

		watcher.start();
		watcher.start();
		assertThat(watcher.isRunning()).isTrue();

		watcher.close();
		assertThat(watcher.isRunning()).isFalse();
		watcher.close();
		assertThat(watcher.isRunning()).isFalse();
	}

	@Test
	void aSourceThatIsNotWatchedNeverStarts() throws Exception {
		RoutesWatcher watcher = new RoutesWatcher(tablesOn(this.dir.resolve("routes.yml")), null);

		watcher.start();

		assertThat(watcher.isRunning()).isFalse();
		watcher.close();
	}

}
