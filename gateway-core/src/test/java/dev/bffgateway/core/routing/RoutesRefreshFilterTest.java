package dev.bffgateway.core.routing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * On Lambda an invocation reads a stale table first, bounded, at most once per max age, and a SnapStart restore makes
 * the table stale whatever its age. Time here is a counter the test moves; a slow read is a gate the test opens.
 */
class RoutesRefreshFilterTest {

	private static final Duration MAX_AGE = Duration.ofSeconds(5);

	private static final Duration TIMEOUT = Duration.ofMillis(20);

	private static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final CountingSource source = new CountingSource(RouteTablesTest.routes(30));

	private final RouteTables tables = new RouteTables(this.source, new RouteTableParser(), Clock.systemUTC());

	private final RoutesRefreshFilter filter = new RoutesRefreshFilter(this.tables, MAX_AGE, TIMEOUT, FIRST_TIMEOUT,
			this.nanos::get);

	/** The weight each invocation was served with. */
	private final List<Integer> served = new ArrayList<>();

	private void invoke() throws Exception {
		FilterChain chain = (request, response) -> this.served.add(this.tables.current().routes().get(0).weight());
		this.filter.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(), chain);
	}

	private void age(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Test
	void aTableYoungerThanTheMaxAgeIsNotReadAgain() throws Exception {
		this.source.content = RouteTablesTest.routes(70);
		age(MAX_AGE.minusMillis(1));

		invoke();
		invoke();

		assertThat(this.source.reads.get()).as("reads after the first, at start").isEqualTo(1);
		assertThat(this.served).containsExactly(30, 30);
	}

	@Test
	void aStaleTableIsReadBeforeTheInvocationIsServedOnceAMaxAge() throws Exception {
		this.source.content = RouteTablesTest.routes(70);
		age(MAX_AGE);

		invoke();
		invoke();
		age(MAX_AGE.minusMillis(1));
		invoke();

		assertThat(this.served).containsExactly(70, 70, 70);
		assertThat(this.source.reads.get()).isEqualTo(2);
		assertThat(this.tables.current().version()).isEqualTo(2);
	}

	@Test
	void anInvalidEditKeepsTheLastGoodTableAndIsNotReadAgainWithinTheMaxAge() throws Exception {
		this.source.content = RouteTablesTest.routes(140);
		age(MAX_AGE);

		invoke();
		invoke();

		assertThat(this.served).containsExactly(30, 30);
		assertThat(this.tables.rejectedReloads()).isEqualTo(1);
		assertThat(this.tables.lastReload().error()).isEqualTo("routes/web-bff.yml: routes[0].weight must be 0..100, but was 140");
		assertThat(this.source.reads.get()).isEqualTo(2);
	}

	@Test
	void aSlowReadIsWaitedForAtMostTheTimeoutThenJoinedNotRepeated() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		this.source.gate = answer;
		this.source.content = RouteTablesTest.routes(70);
		age(MAX_AGE);

		// the read never ends until the gate opens: an invocation that waited for it would never end either
		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
			invoke();
			invoke();
		});

		assertThat(this.served).as("served by the table in force meanwhile").containsExactly(30, 30);
		assertThat(this.source.reads.get()).as("one read under way, joined by the second invocation").isEqualTo(2);

		answer.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.tables.current().version() == 2);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.filter.stale());
		invoke();
		assertThat(this.served).containsExactly(30, 30, 70);
		assertThat(this.source.reads.get()).isEqualTo(2);
	}

	@Test
	void aSnapStartRestoreMakesTheTableStaleWhateverItsAge() throws Exception {
		this.source.content = RouteTablesTest.routes(70);
		assertThat(this.filter.stale()).isFalse();

		this.filter.afterRestore(null);

		assertThat(this.filter.stale()).isTrue();
		invoke();
		assertThat(this.served).as("the snapshot's table is not served").containsExactly(70);
		assertThat(this.filter.stale()).isFalse();
	}

	@Test
	void theFirstReadAfterARestoreIsWaitedForLongerThanAnInvocationWaits() throws Exception {
		assertThat(this.filter.waitFor()).isEqualTo(TIMEOUT);
		this.source.content = RouteTablesTest.routes(70);
		this.filter.afterRestore(null);

		assertThat(this.filter.waitFor()).isEqualTo(FIRST_TIMEOUT);
		invoke();

		assertThat(this.served).containsExactly(70);
		assertThat(this.filter.waitFor()).as("only the first read after the restore").isEqualTo(TIMEOUT);
	}

	@Test
	void withoutATableToRefreshEveryInvocationPassesThrough() throws Exception {
		RoutesRefreshFilter off = new RoutesRefreshFilter(null, MAX_AGE, TIMEOUT, FIRST_TIMEOUT, this.nanos::get);
		AtomicInteger passed = new AtomicInteger();
		age(MAX_AGE.multipliedBy(2));

		off.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(), (request, response) -> passed.incrementAndGet());

		assertThat(passed.get()).isEqualTo(1);
		assertThat(this.source.reads.get()).isEqualTo(1);
	}

	/** A source that counts its reads and, when the test sets a gate, answers only once it opens. */
	static final class CountingSource implements RoutesSource {

		final AtomicInteger reads = new AtomicInteger();

		volatile String content;

		volatile CountDownLatch gate = new CountDownLatch(0);

		/** How long a read takes, as a slow network would make it. */

		CountingSource(String content) {
			this.content = content;
		}

		@Override
		public String name() {
			return "routes/web-bff.yml";
		}

		@Override
		public String read() throws IOException {
			this.reads.incrementAndGet();
			try {
				this.gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			return this.content;
		}

	}

}
