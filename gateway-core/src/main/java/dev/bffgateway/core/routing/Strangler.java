package dev.bffgateway.core.routing;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.bffgateway.core.resilience.NotTheBackendsFault;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The one way a BFF moves traffic from a legacy system to the service replacing it, for a strangler route and a
 * strangled dependency alike: it picks the side ({@link SideSelector}, or a forced one), calls it under that
 * side's Resilience4j breaker, falls back to legacy when the new side cannot answer, and counts every request in
 * {@value #REQUESTS_METER}{@code {route,side,outcome}}.
 *
 * <p><b>Breakers</b> are named after what they guard: the route's (or dependency's) id for the legacy side, and
 * {@code <id>:new} for the new side. A breaker configured as a Resilience4j instance under that name keeps its
 * configuration; otherwise it takes the Resilience4j config the route names ({@code breaker:} in the routes
 * file, {@code default} when it names none), and a new side without its own instance takes its legacy side's.
 * A route whose policy changes in a reload gets fresh breakers with the new policy.
 *
 * <p><b>Failures</b>: a side fails when its call throws or its answer is a server failure (for HTTP: a
 * {@code 5xx}); both count against its breaker. An answer that is not a server failure ({@code 2xx}, {@code 3xx},
 * {@code 4xx}) is the side's answer and counts as a success. Failures that are not the backend's fault (the
 * client's body, the BFF's own pool or bulkhead: {@link NotTheBackendsFault}) count against nothing.
 *
 * <p><b>Fallback</b>: when the new side's breaker is open nothing was sent, so any request falls back to legacy.
 * When the new side failed, only a request that is safe to send twice falls back (an idempotent method without a
 * body); anything else may already have had its effect, and fails instead. A server-failure answer from the new
 * side is served as it is (it is an answer; its breaker opens after enough of them, and then requests fall
 * back).
 *
 * <p>Outcomes: {@code ok}, {@code fallback} (legacy served after the new side could not), {@code error} (the side
 * failed, or answered with a server failure), {@code client_error} (not the backend's fault). Thread-safe.
 */
public final class Strangler {

	/** Requests through a strangled route or dependency, by side that answered and outcome. */
	public static final String REQUESTS_METER = "bff.strangler.requests";

	private final SideSelector selector;

	private final CircuitBreakerRegistry breakers;

	private final MeterRegistry meters;

	private final Set<String> configuredInstances;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * @param selector picks a side by the route's weight and the request's sticky key
	 * @param breakers the registry the sides' breakers live in; the breakers it already holds are the configured
	 * instances, whose configuration no route overrides
	 * @param meters where the outcomes are counted
	 */
	public Strangler(SideSelector selector, CircuitBreakerRegistry breakers, MeterRegistry meters) {
		this.selector = selector;
		this.breakers = breakers;
		this.meters = meters;
		this.configuredInstances = Set.copyOf(breakers.getAllCircuitBreakers().stream().map(CircuitBreaker::getName).toList());
	}

	/** A call to one side. */
	@FunctionalInterface
	public interface SideCall<T> {

		/**
		 * @param side the side called
		 * @param base the side's base URI
		 * @return its answer
		 * @throws Exception when it gave none
		 */
		T call(Side side, URI base) throws Exception;

	}

	/** An answer and the side that gave it. */
	public record Served<T>(Side side, T answer) {
	}

	/** Why no side answered. */
	public enum Failure {

		/** The side's breaker is open: nothing was sent. */
		BREAKER_OPEN,

		/** The side failed to answer. */
		FAILED,

		/** The call failed on the caller's side, or for want of the BFF's own capacity (never the backend's fault). */
		NOT_THE_BACKENDS_FAULT

	}

	/** No side answered: which side failed last, why, and the exception it failed with as the cause. */
	public static final class UnservedException extends Exception {

		private final Side side;

		private final Failure failure;

		UnservedException(Side side, Failure failure, Throwable cause) {
			super(side.value() + " side: " + failure, cause, false, false);
			this.side = side;
			this.failure = failure;
		}

		/** @return the side that failed last */
		public Side side() {
			return this.side;
		}

		/** @return why */
		public Failure failure() {
			return this.failure;
		}

	}

	/**
	 * Serves one request.
	 * @param route the route or dependency, as the table in force has it
	 * @param stickyKey the request's sticky key, or {@code null} to split per request
	 * @param forced the side to try first regardless of the weight (an internal tester's override), or {@code null}
	 * @param repeatable whether the request may be sent twice (an idempotent method without a body)
	 * @param serverFailure which answers count as a failure of the side that gave them (served all the same)
	 * @param call calls one side
	 * @return the answer and the side that gave it
	 * @throws UnservedException when no side answered
	 */
	public <T> Served<T> serve(Route route, @Nullable String stickyKey, @Nullable Side forced, boolean repeatable,
			Predicate<? super T> serverFailure, SideCall<T> call) throws UnservedException {
		Side side = (forced != null) ? forced : this.selector.select(route, stickyKey);
		if (side == Side.NEW) {
			try {
				return served(route, Side.NEW, "ok", call(route, Side.NEW, serverFailure, call));
			}
			catch (UnservedException failed) {
				boolean fallBack = failed.failure() == Failure.BREAKER_OPEN
						|| (failed.failure() == Failure.FAILED && repeatable);
				if (!fallBack) {
					throw counted(route, failed);
				}
			}
			try {
				return served(route, Side.LEGACY, "fallback", call(route, Side.LEGACY, serverFailure, call));
			}
			catch (UnservedException failed) {
				throw counted(route, failed);
			}
		}
		try {
			return served(route, Side.LEGACY, "ok", call(route, Side.LEGACY, serverFailure, call));
		}
		catch (UnservedException failed) {
			throw counted(route, failed);
		}
	}

	private <T> Answer<T> call(Route route, Side side, Predicate<? super T> serverFailure, SideCall<T> call)
			throws UnservedException {
		CircuitBreaker breaker = breaker(route, side);
		try {
			return breaker.executeCheckedSupplier(() -> {
				T answer = call.call(side, route.uri(side));
				if (serverFailure.test(answer)) {
					throw new ServerFailureAnswer(answer);
				}
				return new Answer<>(answer, false);
			});
		}
		catch (ServerFailureAnswer failed) {
			@SuppressWarnings("unchecked")
			T answer = (T) failed.answer;
			return new Answer<>(answer, true);
		}
		catch (CallNotPermittedException open) {
			throw new UnservedException(side, Failure.BREAKER_OPEN, open);
		}
		catch (Throwable failed) {
			if (failed instanceof VirtualMachineError fatal) {
				throw fatal;
			}
			Failure failure = NotTheBackendsFault.isCauseOf(failed) ? Failure.NOT_THE_BACKENDS_FAULT : Failure.FAILED;
			throw new UnservedException(side, failure, failed);
		}
	}

	/** An answer, and whether it is a server failure. */
	private record Answer<T>(T value, boolean serverFailure) {
	}

	/** Carries a server-failure answer through the breaker, which records it as a failure. */
	private static final class ServerFailureAnswer extends Exception {

		private final transient Object answer;

		ServerFailureAnswer(Object answer) {
			super("answered with a server failure", null, false, false);
			this.answer = answer;
		}

	}

	private <T> Served<T> served(Route route, Side side, String outcome, Answer<T> answer) {
		count(route, side, answer.serverFailure() ? "error" : outcome);
		return new Served<>(side, answer.value());
	}

	private UnservedException counted(Route route, UnservedException failed) {
		count(route, failed.side(),
				(failed.failure() == Failure.NOT_THE_BACKENDS_FAULT) ? "client_error" : "error");
		return failed;
	}

	/**
	 * Whether a call on the route could go through now: a side that takes some of its traffic has a breaker that
	 * permits a call (an open breaker whose wait has passed moves to half-open here, as on a call). Nothing is
	 * counted and the permission is given back: for callers that wait rather than fail (a replay).
	 */
	public boolean mayTake(Route route) {
		for (Side side : Side.values()) {
			boolean used = (side == Side.LEGACY) ? route.weight() < 100 : route.weight() > 0;
			CircuitBreaker breaker = breaker(route, side);
			if (used && breaker.tryAcquirePermission()) {
				breaker.releasePermission();
				return true;
			}
		}
		return false;
	}

	/**
	 * @return the breaker guarding one side of a route, created with the route's policy if it does not exist yet,
	 * and replaced when the route's policy changed
	 */
	public CircuitBreaker breaker(Route route, Side side) {
		String name = breakerName(route, side);
		if (this.configuredInstances.contains(name)) {
			return this.breakers.circuitBreaker(name);
		}
		CircuitBreakerConfig policy = policy(route);
		CircuitBreaker breaker = this.breakers.circuitBreaker(name, policy);
		if (breaker.getCircuitBreakerConfig() != policy) {
			synchronized (this) {
				breaker = this.breakers.circuitBreaker(name, policy);
				if (breaker.getCircuitBreakerConfig() != policy) {
					breaker = CircuitBreaker.of(name, policy);
					this.breakers.replace(name, breaker);
				}
			}
		}
		return breaker;
	}

	private CircuitBreakerConfig policy(Route route) {
		if (this.configuredInstances.contains(route.id())) {
			return this.breakers.circuitBreaker(route.id()).getCircuitBreakerConfig();
		}
		return this.breakers.getConfiguration(route.breaker())
			.orElseThrow(() -> new IllegalStateException("route '" + route.id() + "' names breaker config '"
					+ route.breaker() + "', which resilience4j.circuitbreaker.configs does not define"));
	}

	/** @return the name of the breaker guarding a side: the id for legacy, {@code <id>:new} for the new side */
	public static String breakerName(Route route, Side side) {
		return (side == Side.LEGACY) ? route.id() : route.id() + ":new";
	}

	/**
	 * Counts an outcome decided after the strangler served the request (e.g. an answer the proxy could not
	 * shape).
	 */
	public void count(Route route, Side side, String outcome) {
		String key = route.id() + '|' + side.value() + '|' + outcome;
		this.counters.computeIfAbsent(key, (k) -> Counter.builder(REQUESTS_METER)
			.description("Requests through strangled routes and dependencies, by side that answered and outcome")
			.tag("route", route.id())
			.tag("side", side.value())
			.tag("outcome", outcome)
			.register(this.meters)).increment();
	}

	/** @return how many requests of a route ended with an outcome on a side */
	public long count(String route, Side side, String outcome) {
		Counter counter = this.meters.find(REQUESTS_METER)
			.tags("route", route, "side", side.value(), "outcome", outcome)
			.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

}
