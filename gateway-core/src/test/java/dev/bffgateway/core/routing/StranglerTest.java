package dev.bffgateway.core.routing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.bffgateway.core.resilience.NotTheBackendsFault;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class StranglerTest {

	private static final URI LEGACY = URI.create("http://legacy.internal");

	private static final URI NEW = URI.create("http://orders.internal");

	/** Like the BFF's own configs: what is not the backend's fault is ignored by every breaker. */
	private static final CircuitBreakerConfig DEFAULT = CircuitBreakerConfig.custom()
		.slidingWindowSize(10)
		.ignoreException(NotTheBackendsFault::isCauseOf)
		.build();

	private static final CircuitBreakerConfig STRICT = CircuitBreakerConfig.custom()
		.slidingWindowSize(2)
		.minimumNumberOfCalls(2)
		.ignoreException(NotTheBackendsFault::isCauseOf)
		.build();

	private static final Predicate<Integer> FIVE_XX = (status) -> status >= 500;

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry
		.of(Map.of("default", DEFAULT, "strict", STRICT));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The hash the selector sees is the bucket itself; requests without a key are numbered from 0. */
	private final List<String> hashed = new ArrayList<>();

	private long next;

	private final SideSelector selector = new SideSelector((text) -> {
		this.hashed.add(text);
		return Long.parseLong(text.substring(text.indexOf('\u0000') + 1));
	}, () -> this.next++);

	private final Strangler strangler = new Strangler(this.selector, this.breakers, this.meters);

	/** The sides called, in order, with the base URI each was given. */
	private final List<String> calls = new ArrayList<>();

	private static Route route(int weight) {
		return new Route("orders", List.of("/orders/**"), java.util.Set.of(), LEGACY, NEW, weight,
				new StickyKey.Header("X-User-Id"));
	}

	private Strangler.SideCall<Integer> answering(int legacy, int fresh) {
		return (side, base) -> {
			this.calls.add(side.value() + " " + base);
			return (side == Side.NEW) ? fresh : legacy;
		};
	}

	private Strangler.SideCall<Integer> newFailsWith(Exception failure) {
		return (side, base) -> {
			this.calls.add(side.value() + " " + base);
			if (side == Side.NEW) {
				throw failure;
			}
			return 200;
		};
	}

	private Strangler.Served<Integer> serve(Route route, String key, Side forced, boolean repeatable,
			Strangler.SideCall<Integer> call) throws Strangler.UnservedException {
		return this.strangler.serve(route, key, forced, repeatable, FIVE_XX, call);
	}

	private long count(Side side, String outcome) {
		return this.strangler.count("orders", side, outcome);
	}

	@Test
	void weightZeroServesLegacyAndWeightHundredServesNew() throws Exception {
		assertThat(serve(route(0), "9999", null, true, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));
		assertThat(serve(route(100), "0", null, true, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.NEW, 201));

		assertThat(this.calls).containsExactly("legacy " + LEGACY, "new " + NEW);
		assertThat(count(Side.LEGACY, "ok")).isEqualTo(1);
		assertThat(count(Side.NEW, "ok")).isEqualTo(1);
	}

	@Test
	void aStickyKeySplitsByItsBucketAgainstTheWeight() throws Exception {
		Route route = route(30);

		assertThat(serve(route, "2999", null, true, answering(200, 201)).side()).isEqualTo(Side.NEW);
		assertThat(serve(route, "3000", null, true, answering(200, 201)).side()).isEqualTo(Side.LEGACY);

		assertThat(this.hashed).containsExactly("orders\u00002999", "orders\u00003000");
		assertThat(count(Side.NEW, "ok")).isEqualTo(1);
		assertThat(count(Side.LEGACY, "ok")).isEqualTo(1);
	}

	@Test
	void withoutAKeyRequestsSplitExactlyByTheWeight() throws Exception {
		Route route = route(30);
		for (int i = 0; i < 100; i++) {
			serve(route, null, null, true, answering(200, 201));
		}

		assertThat(this.hashed).isEmpty();
		assertThat(count(Side.NEW, "ok")).isEqualTo(30);
		assertThat(count(Side.LEGACY, "ok")).isEqualTo(70);
	}

	@Test
	void aForcedSideOverridesTheWeight() throws Exception {
		assertThat(serve(route(0), "0", Side.NEW, false, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.NEW, 201));
		assertThat(serve(route(100), "0", Side.LEGACY, false, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));

		assertThat(this.hashed).isEmpty();
		assertThat(this.calls).containsExactly("new " + NEW, "legacy " + LEGACY);
	}

	@Test
	void anOpenNewBreakerFallsBackToLegacyForAnyRequest() throws Exception {
		Route route = route(100);
		this.strangler.breaker(route, Side.NEW).transitionToOpenState();

		assertThat(serve(route, "0", null, true, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));
		assertThat(serve(route, "0", null, false, answering(200, 201)))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));

		assertThat(this.calls).containsExactly("legacy " + LEGACY, "legacy " + LEGACY);
		assertThat(count(Side.LEGACY, "fallback")).isEqualTo(2);
		assertThat(count(Side.LEGACY, "ok")).isZero();
		assertThat(count(Side.NEW, "error")).isZero();
	}

	@Test
	void aFailedNewSideFallsBackWhenTheRequestIsRepeatable() throws Exception {
		Route route = route(100);

		assertThat(serve(route, "0", null, true, newFailsWith(new IOException("reset"))))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));

		assertThat(this.calls).containsExactly("new " + NEW, "legacy " + LEGACY);
		assertThat(count(Side.LEGACY, "fallback")).isEqualTo(1);
		assertThat(count(Side.NEW, "error")).isZero();
		CircuitBreaker.Metrics fresh = this.strangler.breaker(route, Side.NEW).getMetrics();
		assertThat(fresh.getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(this.strangler.breaker(route, Side.LEGACY).getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void aFailedNewSideFailsARequestThatIsNotRepeatable() {
		Route route = route(100);
		IOException reset = new IOException("reset");

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, false, newFailsWith(reset)))
			.withMessage("new side: FAILED")
			.withCause(reset)
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.NEW);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.FAILED);
			});

		assertThat(this.calls).containsExactly("new " + NEW);
		assertThat(count(Side.NEW, "error")).isEqualTo(1);
		assertThat(count(Side.LEGACY, "fallback")).isZero();
		assertThat(this.strangler.breaker(route, Side.NEW).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void aFailedLegacySideFailsTheRequest() {
		Route route = route(0);
		IOException refused = new IOException("refused");

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, true, (side, base) -> {
				throw refused;
			}))
			.withMessage("legacy side: FAILED")
			.withCause(refused)
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.LEGACY);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.FAILED);
			});

		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
		assertThat(this.strangler.breaker(route, Side.LEGACY).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void aFallbackWhoseLegacySideFailsIsALegacyFailure() {
		Route route = route(100);
		IOException refused = new IOException("refused");

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, true, (side, base) -> {
				this.calls.add(side.value());
				throw (side == Side.NEW) ? new IOException("reset") : refused;
			}))
			.withCause(refused)
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.LEGACY);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.FAILED);
			});

		assertThat(this.calls).containsExactly("new", "legacy");
		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
		assertThat(count(Side.NEW, "error")).isZero();
	}

	@Test
	void anOpenLegacyBreakerSendsNothing() {
		Route route = route(0);
		this.strangler.breaker(route, Side.LEGACY).transitionToOpenState();

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, true, answering(200, 201)))
			.withMessage("legacy side: BREAKER_OPEN")
			.withCauseInstanceOf(CallNotPermittedException.class)
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.LEGACY);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.BREAKER_OPEN);
			});

		assertThat(this.calls).isEmpty();
		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
	}

	@Test
	void bothBreakersOpenIsALegacyBreakerOpen() {
		Route route = route(100);
		this.strangler.breaker(route, Side.NEW).transitionToOpenState();
		this.strangler.breaker(route, Side.LEGACY).transitionToOpenState();

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, false, answering(200, 201)))
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.LEGACY);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.BREAKER_OPEN);
			});

		assertThat(this.calls).isEmpty();
		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
		assertThat(count(Side.NEW, "error")).isZero();
	}

	@Test
	void aServerFailureAnswerIsServedCountedAsAnErrorAndRecordedByTheBreaker() throws Exception {
		Route route = route(100);

		assertThat(serve(route, "0", null, true, answering(200, 503)))
			.isEqualTo(new Strangler.Served<>(Side.NEW, 503));
		assertThat(serve(route(0), "0", null, true, answering(500, 201)))
			.isEqualTo(new Strangler.Served<>(Side.LEGACY, 500));

		assertThat(this.calls).containsExactly("new " + NEW, "legacy " + LEGACY);
		assertThat(count(Side.NEW, "error")).isEqualTo(1);
		assertThat(count(Side.NEW, "ok")).isZero();
		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
		assertThat(count(Side.LEGACY, "ok")).isZero();
		assertThat(this.strangler.breaker(route, Side.NEW).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(this.strangler.breaker(route, Side.LEGACY).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void aClientErrorAnswerIsTheSidesAnswerAndASuccess() throws Exception {
		Route route = route(100);

		assertThat(serve(route, "0", null, false, answering(200, 404)))
			.isEqualTo(new Strangler.Served<>(Side.NEW, 404));

		assertThat(count(Side.NEW, "ok")).isEqualTo(1);
		assertThat(this.strangler.breaker(route, Side.NEW).getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void serverFailureAnswersOpenTheNewBreakerAndThenRequestsFallBack() throws Exception {
		Route route = route(100).with(100, "strict");

		serve(route, "0", null, false, answering(200, 503));
		serve(route, "0", null, false, answering(200, 503));
		Strangler.Served<Integer> third = serve(route, "0", null, false, answering(200, 503));

		assertThat(third).isEqualTo(new Strangler.Served<>(Side.LEGACY, 200));
		assertThat(this.strangler.breaker(route, Side.NEW).getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(count(Side.NEW, "error")).isEqualTo(2);
		assertThat(count(Side.LEGACY, "fallback")).isEqualTo(1);
	}

	@Test
	void aFallbackThatAnswersWithAServerFailureIsCountedAsAnError() throws Exception {
		Route route = route(100);

		assertThat(this.strangler.serve(route, "0", null, true, FIVE_XX, (side, base) -> {
			if (side == Side.NEW) {
				throw new IOException("reset");
			}
			return 502;
		})).isEqualTo(new Strangler.Served<>(Side.LEGACY, 502));

		assertThat(count(Side.LEGACY, "error")).isEqualTo(1);
		assertThat(count(Side.LEGACY, "fallback")).isZero();
	}

	@Test
	void aFailureThatIsNotTheBackendsFaultCountsAgainstNoBreaker() {
		Route route = route(100);
		ClientBodyException aborted = new ClientBodyException(ClientBodyException.Reason.ABORTED, "client went away",
				null);

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, true, newFailsWith(aborted)))
			.withMessage("new side: NOT_THE_BACKENDS_FAULT")
			.withCause(aborted)
			.satisfies((unserved) -> {
				assertThat(unserved.side()).isEqualTo(Side.NEW);
				assertThat(unserved.failure()).isEqualTo(Strangler.Failure.NOT_THE_BACKENDS_FAULT);
			});

		assertThat(this.calls).containsExactly("new " + NEW);
		assertThat(count(Side.NEW, "client_error")).isEqualTo(1);
		assertThat(count(Side.NEW, "error")).isZero();
		assertThat(count(Side.LEGACY, "fallback")).isZero();
		CircuitBreaker.Metrics metrics = this.strangler.breaker(route, Side.NEW).getMetrics();
		assertThat(metrics.getNumberOfFailedCalls()).isZero();
		assertThat(metrics.getNumberOfSuccessfulCalls()).isZero();
	}

	@Test
	void notTheBackendsFaultIsRecognisedInTheCauseChain() {
		Route route = route(0);
		IOException wrapped = new IOException("upload failed",
				HttpClientErrorException.create(HttpStatus.CONFLICT, "Conflict", null, null, null));

		assertThatExceptionOfType(Strangler.UnservedException.class)
			.isThrownBy(() -> serve(route, "0", null, true, (side, base) -> {
				throw wrapped;
			}))
			.satisfies((unserved) -> assertThat(unserved.failure())
				.isEqualTo(Strangler.Failure.NOT_THE_BACKENDS_FAULT));

		assertThat(count(Side.LEGACY, "client_error")).isEqualTo(1);
		assertThat(this.strangler.breaker(route, Side.LEGACY).getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void aVirtualMachineErrorIsNotTurnedIntoAnAnswer() {
		StackOverflowError overflow = new StackOverflowError();

		assertThatExceptionOfType(StackOverflowError.class)
			.isThrownBy(() -> serve(route(0), "0", null, true, (side, base) -> {
				throw overflow;
			}))
			.isSameAs(overflow);
	}

	@Test
	void breakersAreNamedAfterTheRouteAndTheSide() throws Exception {
		Route route = route(100);

		serve(route, "0", null, true, newFailsWith(new IOException("reset")));

		assertThat(Strangler.breakerName(route, Side.LEGACY)).isEqualTo("orders");
		assertThat(Strangler.breakerName(route, Side.NEW)).isEqualTo("orders:new");
		assertThat(this.breakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
			.containsExactlyInAnyOrder("orders", "orders:new");
		assertThat(this.strangler.breaker(route, Side.NEW)).isSameAs(this.breakers.circuitBreaker("orders:new"));
		assertThat(this.strangler.breaker(route, Side.LEGACY)).isSameAs(this.breakers.circuitBreaker("orders"));
	}

	@Test
	void aRouteTakesTheBreakerConfigItNames() {
		Route plain = route(50);
		Route strict = route(50).with(50, "strict");

		assertThat(this.strangler.breaker(plain, Side.LEGACY).getCircuitBreakerConfig()).isSameAs(DEFAULT);
		assertThat(this.strangler.breaker(plain, Side.NEW).getCircuitBreakerConfig()).isSameAs(DEFAULT);
		Strangler other = new Strangler(this.selector, CircuitBreakerRegistry.of(Map.of("default", DEFAULT, "strict",
				STRICT)), this.meters);
		assertThat(other.breaker(strict, Side.LEGACY).getCircuitBreakerConfig()).isSameAs(STRICT);
		assertThat(other.breaker(strict, Side.NEW).getCircuitBreakerConfig()).isSameAs(STRICT);
	}

	@Test
	void aRouteNamingAnUnknownBreakerConfigIsRefused() {
		Route route = route(50).with(50, "lenient");

		assertThatIllegalStateException().isThrownBy(() -> this.strangler.breaker(route, Side.LEGACY))
			.withMessage("route 'orders' names breaker config 'lenient', which resilience4j.circuitbreaker.configs "
					+ "does not define");
	}

	@Test
	void aPolicyChangeReplacesTheBreakers() {
		Route before = route(50);
		CircuitBreaker legacy = this.strangler.breaker(before, Side.LEGACY);
		CircuitBreaker fresh = this.strangler.breaker(before, Side.NEW);
		legacy.transitionToOpenState();
		fresh.transitionToOpenState();

		Route after = before.with(50, "strict");
		CircuitBreaker replacedLegacy = this.strangler.breaker(after, Side.LEGACY);
		CircuitBreaker replacedNew = this.strangler.breaker(after, Side.NEW);

		assertThat(replacedLegacy).isNotSameAs(legacy);
		assertThat(replacedLegacy.getCircuitBreakerConfig()).isSameAs(STRICT);
		assertThat(replacedLegacy.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(replacedNew).isNotSameAs(fresh);
		assertThat(replacedNew.getCircuitBreakerConfig()).isSameAs(STRICT);
		assertThat(this.breakers.circuitBreaker("orders")).isSameAs(replacedLegacy);
		assertThat(this.breakers.circuitBreaker("orders:new")).isSameAs(replacedNew);
		// the same policy again keeps the breaker and its state
		replacedLegacy.transitionToOpenState();
		assertThat(this.strangler.breaker(after, Side.LEGACY)).isSameAs(replacedLegacy);
		assertThat(replacedLegacy.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void aConfiguredInstanceKeepsItsConfigAndLendsItToItsNewSide() {
		CircuitBreakerConfig own = CircuitBreakerConfig.custom()
			.slidingWindowSize(3)
			.waitDurationInOpenState(Duration.ofSeconds(7))
			.build();
		CircuitBreakerConfig ownNew = CircuitBreakerConfig.custom().slidingWindowSize(4).build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Map.of("default", DEFAULT, "strict", STRICT));
		CircuitBreaker configured = registry.circuitBreaker("orders", own);
		CircuitBreaker configuredNew = registry.circuitBreaker("billing:new", ownNew);
		Strangler strangler = new Strangler(this.selector, registry, this.meters);
		Route orders = route(50).with(50, "strict");
		Route billing = new Route("billing", List.of("/billing/**"), java.util.Set.of(), LEGACY, NEW, 50,
				StickyKey.NONE);

		assertThat(strangler.breaker(orders, Side.LEGACY)).isSameAs(configured);
		assertThat(configured.getCircuitBreakerConfig()).isSameAs(own);
		assertThat(strangler.breaker(orders, Side.NEW).getCircuitBreakerConfig()).isSameAs(own);
		assertThat(strangler.breaker(billing, Side.NEW)).isSameAs(configuredNew);
		assertThat(strangler.breaker(billing.with(50, "strict"), Side.NEW)).isSameAs(configuredNew);
		assertThat(configuredNew.getCircuitBreakerConfig()).isSameAs(ownNew);
		assertThat(strangler.breaker(billing, Side.LEGACY).getCircuitBreakerConfig()).isSameAs(DEFAULT);
	}

	@Test
	void countsAreTaggedByRouteSideAndOutcome() throws Exception {
		serve(route(100), "0", null, true, answering(200, 201));
		serve(route(100), "0", null, true, answering(200, 201));
		this.strangler.count(route(100), Side.NEW, "shaping_error");

		Counter ok = this.meters.get(Strangler.REQUESTS_METER)
			.tags("route", "orders", "side", "new", "outcome", "ok")
			.counter();
		assertThat(ok.count()).isEqualTo(2.0);
		assertThat(this.strangler.count("orders", Side.NEW, "ok")).isEqualTo(2);
		assertThat(this.strangler.count("orders", Side.NEW, "shaping_error")).isEqualTo(1);
		assertThat(this.strangler.count("orders", Side.LEGACY, "ok")).isZero();
		assertThat(this.strangler.count("billing", Side.NEW, "ok")).isZero();
		assertThat(this.meters.find(Strangler.REQUESTS_METER).counters()).hasSize(2);
	}

}
