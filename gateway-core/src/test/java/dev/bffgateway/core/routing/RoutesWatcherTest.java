package dev.bffgateway.core.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
	void closingLetsACheckUnderWayEndRatherThanInterruptingIt() throws Exception {
		GatedSource source = new GatedSource();
		RouteTables tables = new RouteTables(source, new RouteTableParser(), Clock.systemUTC());
		source.gate = new CountDownLatch(1);
		RoutesWatcher watcher = new RoutesWatcher(tables, Duration.ofMillis(10));
		watcher.start();
		assertThat(source.reading.await(10, TimeUnit.SECONDS)).as("a check under way").isTrue();

		Thread closing = Thread.ofVirtual().start(watcher::close);
		source.gate.countDown();
		closing.join(RoutesWatcher.CLOSE_TIMEOUT.multipliedBy(2));

		assertThat(closing.isAlive()).isFalse();
		assertThat(watcher.isRunning()).isFalse();
		assertThat(source.interrupted).isFalse();
		assertThat(tables.rejectedReloads()).as("no read failed for the close").isZero();
	}

	/** A source whose reads, after the first, wait for the gate the test opens. */
	static final class GatedSource implements RoutesSource {

		final CountDownLatch reading = new CountDownLatch(1);

		volatile CountDownLatch gate = new CountDownLatch(0);

		volatile boolean interrupted;

		@Override
		public String name() {
			return "ssm:/bff/web-bff/routes";
		}

		@Override
		public String read() throws IOException {
			CountDownLatch gate = this.gate;
			if (gate.getCount() > 0) {
				this.reading.countDown();
			}
			try {
				gate.await();
			}
			catch (InterruptedException ex) {
				this.interrupted = true;
				throw new IOException(ex);
			}
			return RouteTablesTest.routes(30);
		}

	}

	@Test
	void aSourceThatIsNotWatchedNeverStarts() throws Exception {
		RoutesWatcher watcher = new RoutesWatcher(tablesOn(this.dir.resolve("routes.yml")), null);

		watcher.start();

		assertThat(watcher.isRunning()).isFalse();
		watcher.close();
	}

}
