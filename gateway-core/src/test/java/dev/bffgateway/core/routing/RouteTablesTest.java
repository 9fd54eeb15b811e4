package dev.bffgateway.core.routing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bffgateway.core.testing.MovableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RouteTablesTest {

	private static final String FILE = "routes/web-bff.yml";

	private static final Instant START = Instant.parse("2026-11-27T09:00:00Z");

	static String routes(int weight) {
		return """
				routes:
				  - id: orders
				    paths: [/orders/**]
				    legacy-uri: http://legacy.internal
				    new-uri: http://orders.internal
				    weight: %d
				""".formatted(weight);
	}

	/** A source whose content the test sets; {@code null} content cannot be read. */
	static final class EditableSource implements RoutesSource {

		volatile @Nullable String content;

		EditableSource(@Nullable String content) {
			this.content = content;
		}

		@Override
		public String name() {
			return FILE;
		}

		@Override
		public String read() throws IOException {
			String current = this.content;
			if (current == null) {
				throw new IOException("disk gone");
			}
			return current;
		}

	}

	private final EditableSource source = new EditableSource(routes(30));

	private final MovableClock clock = new MovableClock(START);

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(RouteTables.class);

	private @Nullable Level level;

	@BeforeEach
	void captureLog() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.log.start();
		this.logger.addAppender(this.log);
	}

	@AfterEach
	void releaseLog() {
		this.logger.detachAppender(this.log);
		this.logger.setLevel(this.level);
	}

	private RouteTables tables() {
		return new RouteTables(this.source, new RouteTableParser(), this.clock);
	}

	@Test
	void theFirstLoadIsVersionOne() {
		RouteTables tables = tables();

		RouteTable table = tables.current();
		assertThat(table.version()).isEqualTo(1);
		assertThat(table.source()).isEqualTo(FILE);
		assertThat(table.loadedAt()).isEqualTo(START);
		assertThat(table.routes()).extracting(Route::weight).containsExactly(30);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START, true, null));
		assertThat(tables.rejectedReloads()).isZero();
		assertThat(tables.source()).isSameAs(this.source);
	}

	@Test
	void anInvalidFirstTableStopsTheStart() {
		this.source.content = routes(140);

		assertThatExceptionOfType(InvalidRouteTableException.class).isThrownBy(this::tables)
			.withMessage(FILE + ": routes[0].weight must be 0..100, but was 140");
	}

	@Test
	void anUnreadableFirstTableStopsTheStart() {
		this.source.content = null;

		assertThatExceptionOfType(InvalidRouteTableException.class).isThrownBy(this::tables)
			.withMessage(FILE + ": cannot be read (java.io.IOException: disk gone)")
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void aSourceReadableAgainUnchangedShowsTheTableAcceptedAgain() {
		RouteTables tables = tables();
		RouteTable first = tables.current();
		String content = this.source.content;
		this.source.content = null;
		assertThat(tables.reloadIfChanged()).isFalse();
		assertThat(tables.lastReload().accepted()).isFalse();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.content = content;

		assertThat(tables.reloadIfChanged()).isFalse();

		assertThat(tables.current()).isSameAs(first);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START.plus(Duration.ofMinutes(1)), true,
				null));
	}

	@Test
	void anUnchangedSourceIsNotReloaded() {
		RouteTables tables = tables();
		RouteTable first = tables.current();
		this.clock.advance(Duration.ofMinutes(1));

		assertThat(tables.reloadIfChanged()).isFalse();

		assertThat(tables.current()).isSameAs(first);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START, true, null));
		assertThat(tables.rejectedReloads()).isZero();
	}

	@Test
	void aChangedSourceIsSwappedInWhole() {
		RouteTables tables = tables();
		RouteTable first = tables.current();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.content = routes(60);

		assertThat(tables.reloadIfChanged()).isTrue();

		RouteTable second = tables.current();
		assertThat(second.version()).isEqualTo(2);
		assertThat(second.loadedAt()).isEqualTo(START.plusSeconds(60));
		assertThat(second.routes()).extracting(Route::weight).containsExactly(60);
		assertThat(first.routes()).extracting(Route::weight).containsExactly(30);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START.plusSeconds(60), true, null));
		assertThat(this.log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("Route table " + FILE + " version 2 applied: 1 routes");
	}

	@Test
	void anInvalidReloadKeepsTheLastGoodTableAndCountsTheRejection() {
		RouteTables tables = tables();
		RouteTable good = tables.current();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.content = routes(140);

		assertThat(tables.reloadIfChanged()).isFalse();

		String error = FILE + ": routes[0].weight must be 0..100, but was 140";
		assertThat(tables.current()).isSameAs(good);
		assertThat(tables.rejectedReloads()).isEqualTo(1);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START.plusSeconds(60), false, error));
		assertThat(this.log.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage()).isEqualTo("Route table reload rejected, keeping version 1: " + error);
		});
		// the same bad content is not rejected twice; a fix is taken
		assertThat(tables.reloadIfChanged()).isFalse();
		assertThat(tables.rejectedReloads()).isEqualTo(1);
		this.source.content = routes(50);
		assertThat(tables.reloadIfChanged()).isTrue();
		assertThat(tables.current().routes()).extracting(Route::weight).containsExactly(50);
		assertThat(tables.current().version()).isGreaterThan(good.version());
		assertThat(tables.lastReload().accepted()).isTrue();
	}

	@Test
	void aRejectedReloadTakesNoVersion() {
		RouteTables tables = tables();
		this.source.content = routes(140);
		tables.reloadIfChanged();
		this.source.content = routes(50);
		tables.reloadIfChanged();

		assertThat(tables.current().version()).isEqualTo(2);
	}

	@Test
	void anUnreadableSourceKeepsTheTableAndCountsTheRejection() {
		RouteTables tables = tables();
		RouteTable good = tables.current();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.content = null;

		assertThat(tables.reloadIfChanged()).isFalse();

		assertThat(tables.current()).isSameAs(good);
		assertThat(tables.rejectedReloads()).isEqualTo(1);
		assertThat(tables.lastReload()).isEqualTo(new RouteTables.ReloadResult(START.plusSeconds(60), false,
				FILE + ": cannot be read (java.io.IOException: disk gone)"));
		// readable again with the content in force: nothing to do
		this.source.content = routes(30);
		assertThat(tables.reloadIfChanged()).isFalse();
		assertThat(tables.current()).isSameAs(good);
	}

	@Test
	void versionsIncreaseWithEveryAcceptedReload() {
		RouteTables tables = tables();
		for (int weight : List.of(40, 50, 60)) {
			this.source.content = routes(weight);
			assertThat(tables.reloadIfChanged()).isTrue();
		}

		assertThat(tables.current().version()).isEqualTo(4);
		assertThat(tables.current().routes()).extracting(Route::weight).containsExactly(60);
	}

}
