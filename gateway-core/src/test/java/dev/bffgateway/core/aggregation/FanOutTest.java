package dev.bffgateway.core.aggregation;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FanOutTest {

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	/** Long enough never to be reached by parts that finish; the deadline tests use their own. */
	private final FanOut fanOut = new FanOut(this.executor, Duration.ofSeconds(30));

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	@Test
	void collectsEveryPartInPartOrder() {
		Part<String> user = Part.required("user", () -> "ada");
		Part<Integer> count = Part.optional("count", () -> 3);

		Aggregate aggregate = this.fanOut.run(List.of(user, count));

		assertThat(aggregate.get(user)).contains("ada");
		assertThat(aggregate.get(count)).contains(3);
		assertThat(aggregate.get("count")).contains(3);
		assertThat(aggregate.degraded()).isEmpty();
		assertThat(aggregate.usable()).isTrue();
	}

	@Test
	void runsPartsConcurrently() {
		// Each part waits until all three have started: only a parallel fan-out can finish them.
		CountDownLatch allStarted = new CountDownLatch(3);
		List<Part<?>> parts = List.of("a", "b", "c").stream().<Part<?>>map((name) -> Part.optional(name, () -> {
			allStarted.countDown();
			return allStarted.await(10, TimeUnit.SECONDS) ? name : null;
		})).toList();

		Aggregate aggregate = this.fanOut.run(parts);

		assertThat(aggregate.degraded()).isEmpty();
		assertThat(aggregate.get("c")).contains("c");
	}

	@Test
	void degradesWithTheReasonTheFailureNames() {
		Part<String> user = Part.required("user", () -> "ada");
		Part<String> account = Part.optional("account", () -> {
			throw new ReasonedFailure(Degradation.BREAKER_OPEN);
		});
		Part<String> activity = Part.optional("activity", () -> {
			throw new IllegalStateException("boom", new ReasonedFailure(Degradation.UNREADABLE));
		});

		Aggregate aggregate = this.fanOut.run(List.of(user, account, activity));

		assertThat(aggregate.degraded()).containsExactly("account", "activity");
		assertThat(aggregate.degradations()).containsEntry("account", Degradation.BREAKER_OPEN)
			.containsEntry("activity", Degradation.UNREADABLE);
		assertThat(aggregate.get(account)).isEmpty();
		assertThat(aggregate.usable()).isTrue();
	}

	@Test
	void unclassifiedFailuresAndNullValuesDegradeAsError() {
		Aggregate aggregate = this.fanOut.run(List.of(Part.optional("a", () -> {
			throw new IllegalStateException("boom");
		}), Part.optional("b", () -> null)));

		assertThat(aggregate.degradations()).containsEntry("a", Degradation.ERROR).containsEntry("b", Degradation.ERROR);
	}

	@Test
	void missingRequiredPartMakesTheAggregateUnusable() {
		Aggregate aggregate = this.fanOut.run(List.of(Part.required("user", () -> {
			throw new ReasonedFailure(Degradation.ERROR_STATUS);
		}), Part.optional("account", () -> "acc")));

		assertThat(aggregate.usable()).isFalse();
		assertThat(aggregate.missingRequired()).containsExactly("user");
	}

	@Test
	void partsStillRunningAtTheDeadlineAreDegradedAndInterrupted() throws InterruptedException {
		// long enough for the fast part even in a cold JVM, short enough to keep the test quick
		FanOut shortDeadline = new FanOut(this.executor, Duration.ofSeconds(1));
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		Part<String> stuck = stuckPart("stuck", started, interrupted);

		Aggregate aggregate = shortDeadline.run(List.of(Part.required("fast", () -> "ok"), stuck));

		assertThat(aggregate.get("fast")).contains("ok");
		assertThat(aggregate.degradations()).containsEntry("stuck", Degradation.DEADLINE);
		// a part cancelled before its thread ran never starts; one that started is interrupted
		if (started.getCount() == 0) {
			assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("stuck part interrupted").isTrue();
		}
	}

	@Test
	void aFailedRequiredPartEndsTheWaitAndCancelsTheRest() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		Part<String> slow = stuckPart("account", started, interrupted);

		// the fan-out's deadline is 30 s: returning at all proves it did not wait for the slow part
		Aggregate aggregate = this.fanOut.run(List.of(Part.required("user", () -> {
			started.await(10, TimeUnit.SECONDS); // fail once the slow part is surely running
			throw new ReasonedFailure(Degradation.ERROR_STATUS);
		}), slow));

		assertThat(aggregate.usable()).isFalse();
		assertThat(aggregate.degradations()).containsEntry("user", Degradation.ERROR_STATUS)
			.containsEntry("account", Degradation.CANCELLED);
		assertThat(aggregate.degraded()).containsExactly("user", "account");
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("slow part interrupted").isTrue();
	}

	@Test
	void rejectsDuplicateNamesAndNonPositiveDeadlines() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.fanOut.run(List.of(Part.optional("a", () -> 1), Part.optional("a", () -> 2))))
			.withMessageContaining("'a' repeats");
		assertThatIllegalArgumentException().isThrownBy(() -> new FanOut(this.executor, Duration.ZERO))
			.withMessage("deadline must be positive, but was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> new FanOut(this.executor, Duration.ofMillis(-1)))
			.withMessage("deadline must be positive, but was PT-0.001S");
	}

	@Test
	void aRejectedSubmissionDegradesThePartInsteadOfFailingTheCall() {
		ExecutorService closed = Executors.newVirtualThreadPerTaskExecutor();
		closed.shutdown();

		Aggregate aggregate = new FanOut(closed, Duration.ofSeconds(1)).run(List.of(Part.optional("a", () -> 1)));

		assertThat(aggregate.degradations()).containsEntry("a", Degradation.ERROR);
	}

	@Test
	void anInterruptedCallerGetsWhatArrivedAndKeepsItsInterrupt() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		Part<String> stuck = stuckPart("stuck", started, interrupted);
		AtomicReference<Aggregate> result = new AtomicReference<>();
		AtomicBoolean stillInterrupted = new AtomicBoolean();

		// the deadline is 30 s: the caller returning within the join proves the interrupt ended the wait
		Thread caller = Thread.ofPlatform().start(() -> {
			result.set(this.fanOut.run(List.of(Part.required("fast", () -> "ok"), stuck)));
			stillInterrupted.set(Thread.currentThread().isInterrupted());
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).as("stuck part started").isTrue();
		caller.interrupt();
		caller.join(Duration.ofSeconds(10));

		assertThat(caller.isAlive()).as("caller still waiting").isFalse();
		assertThat(stillInterrupted).as("interrupt flag kept").isTrue();
		assertThat(result.get().degradations()).containsEntry("stuck", Degradation.DEADLINE);
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("stuck part interrupted").isTrue();
	}

	@Test
	void logsFailuresByExceptionTypeNeverByMessage() {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(FanOut.class);
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		log.start();
		logger.addAppender(log);
		try {
			// one part at a time: the log order is then the order of the parts
			this.fanOut.run(List.of(Part.optional("account", () -> {
				throw new IllegalStateException("GET /users/42/account", new IOException("{\"iban\":\"DE89\"}"));
			})));
			this.fanOut.run(List.of(Part.optional("activity", () -> null)));
			this.fanOut.run(List.of(Part.optional("offers", () -> {
				throw new ReasonedFailure(Degradation.BREAKER_OPEN);
			})));
		}
		finally {
			logger.detachAppender(log);
			logger.setLevel(level);
		}

		assertThat(log.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
			.containsExactly(tuple(Level.WARN, "Part 'account' degraded: error (IllegalStateException < IOException)"),
					tuple(Level.DEBUG, "Part 'account' degraded"),
					tuple(Level.WARN, "Part 'activity' degraded: error"),
					// nothing was attempted: the open breaker is reported by its own state, not per request
					tuple(Level.DEBUG, "Part 'offers' degraded: breaker_open"));
		// the stack trace, with the messages, is at debug only
		assertThat(log.list.get(1).getThrowableProxy().getMessage()).isEqualTo("GET /users/42/account");
		assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.allSatisfy((event) -> assertThat(event.getThrowableProxy()).isNull());
	}

	@Test
	void aFailuresLogSafeDetailIsAppendedToItsLine() {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(FanOut.class);
		log.start();
		logger.addAppender(log);
		try {
			this.fanOut.run(List.of(Part.optional("activity", () -> {
				throw new IllegalStateException("{\"at\":1764093840}",
						new DetailedFailure(Degradation.CONTRACT, "\"/items/0/at\" type"));
			})));
		}
		finally {
			logger.detachAppender(log);
		}

		assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly(
					"Part 'activity' degraded: contract (IllegalStateException < DetailedFailure) at \"/items/0/at\" type");
	}

	@Test
	void detailIsTheFirstDegradationCausesAndStopsAfterEightCauses() {
		IllegalStateException outer = new IllegalStateException("a");
		IOException inner = new IOException("b", outer);
		outer.initCause(inner);

		assertThat(FanOut.detail(new RuntimeException("c", new DetailedFailure(Degradation.CONTRACT, "\"\" type"))))
			.isEqualTo("\"\" type");
		assertThat(FanOut.detail(new ReasonedFailure(Degradation.ERROR))).as("the default: none").isEmpty();
		assertThat(FanOut.detail(outer)).as("a cycle of causes ends the walk").isEmpty();
	}

	@Test
	void causesNamesTypesOutermostFirstAndStopsAfterEightCauses() {
		IllegalStateException outer = new IllegalStateException("a");
		IOException inner = new IOException("b", outer);
		outer.initCause(inner); // a cycle: without the depth limit the walk would never end

		assertThat(FanOut.causes(new RuntimeException("c"))).isEqualTo("RuntimeException");
		assertThat(FanOut.causes(outer)).isEqualTo("IllegalStateException"
				+ " < IOException < IllegalStateException".repeat(4));
	}

	/** An optional part that never finishes on its own; it counts down when it starts and when interrupted. */
	private static Part<String> stuckPart(String name, CountDownLatch started, CountDownLatch interrupted) {
		CountDownLatch never = new CountDownLatch(1);
		return Part.optional(name, () -> {
			started.countDown();
			try {
				never.await();
				return "late";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
	}

	static final class DetailedFailure extends RuntimeException implements DegradationCause {

		private final Degradation degradation;

		private final String detail;

		DetailedFailure(Degradation degradation, String detail) {
			super(degradation.tag());
			this.degradation = degradation;
			this.detail = detail;
		}

		@Override
		public Degradation degradation() {
			return this.degradation;
		}

		@Override
		public String detail() {
			return this.detail;
		}

	}

	static final class ReasonedFailure extends RuntimeException implements DegradationCause {

		private final Degradation degradation;

		ReasonedFailure(Degradation degradation) {
			super(degradation.tag());
			this.degradation = degradation;
		}

		@Override
		public Degradation degradation() {
			return this.degradation;
		}

	}

}
