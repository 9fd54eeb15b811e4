package dev.bffgateway.core.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import dev.bffgateway.core.resilience.BudgetedRetry;
import dev.bffgateway.core.resilience.RetryBudget;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RoutesProperties;
import dev.bffgateway.core.routing.Side;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The retries of the routes that ask for them ({@code retry.max-attempts} in the routes file): one
 * {@link BudgetedRetry} per side of each route, each side with its own budget over the last 10 s of its requests
 * (kept across reloads, so an edit cannot reset it). A proxied attempt is retried only when it got no answer at all
 * (refused, not connected in time, closed before any response byte) or answered {@code 502}, {@code 503} or
 * {@code 504} with no {@code Retry-After} longer than {@code gateway.routes.retry.max-backoff}. Counted in
 * {@value #METER}{@code {route,side,outcome}}, the budget in {@value #METER}{@code .budget}.
 */
final class RouteRetries {

	static final String METER = "bff.strangler.retries";

	private static final Duration BUDGET_WINDOW = Duration.ofSeconds(10);

	private final RoutesProperties.Retry settings;

	private final MeterRegistry meters;

	private final DoubleSupplier random;

	private final LongSupplier nanoTime;

	private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

	private final Map<Key, BudgetedRetry> retries = new ConcurrentHashMap<>();

	private record Key(String route, Side side, int maxAttempts) {
	}

	/**
	 * @param settings waits and budget, the same for every route
	 * @param meters where retries are counted
	 * @param random uniform in [0, 1), for the jitter
	 * @param nanoTime the budget's clock
	 */
	RouteRetries(RoutesProperties.Retry settings, MeterRegistry meters, DoubleSupplier random, LongSupplier nanoTime) {
		this.settings = settings;
		this.meters = meters;
		this.random = random;
		this.nanoTime = nanoTime;
	}

	/**
	 * Proxies one request to one side, retrying it as the route allows.
	 * @param route the route in force
	 * @param side the side being called
	 * @param attempt one proxied attempt
	 * @param discard lets go of an answer a retry replaces (its connection goes back to the pool)
	 * @return the last attempt's answer
	 * @throws Exception the last attempt's failure
	 */
	ServerResponse call(Route route, Side side, Callable<ServerResponse> attempt, Consumer<ServerResponse> discard)
			throws Exception {
		if (route.maxAttempts() == 1) {
			return attempt.call();
		}
		return this.retries.computeIfAbsent(new Key(route.id(), side, route.maxAttempts()), this::retry)
			.call(attempt, discard);
	}

	private BudgetedRetry retry(Key key) {
		String name = (key.side() == Side.NEW) ? key.route() + ":new" : key.route();
		RetryBudget budget = this.budgets.computeIfAbsent(name, (n) -> new RetryBudget(this.settings.budgetRatio(),
				this.settings.budgetMax(), BUDGET_WINDOW, this.nanoTime));
		return new BudgetedRetry(name,
				new BudgetedRetry.Policy(key.maxAttempts(), this.settings.initialBackoff(), this.settings.maxBackoff()),
				budget, BudgetedRetry::noAnswer, RouteRetries::retryable, this.random, this.meters, METER,
				Tags.of("route", key.route(), "side", key.side().value()));
	}

	private static @Nullable Duration retryable(Object answer) {
		ServerResponse response = (ServerResponse) answer;
		return BudgetedRetry.retryableStatus(response.statusCode().value(),
				response.headers().getFirst(HttpHeaders.RETRY_AFTER));
	}

}
