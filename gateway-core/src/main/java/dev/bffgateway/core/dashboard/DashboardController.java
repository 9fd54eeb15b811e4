package dev.bffgateway.core.dashboard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.aggregation.FanOut;
import dev.bffgateway.core.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves {@code GET /dashboard} for the BFF's {@link DashboardDefinition}. Edge-neutral: the same controller
 * answers in the container and under the Lambda adapter.
 */
@RestController
final class DashboardController {

	/** Name of the timer recording every dashboard, tagged with the number of degraded parts. */
	static final String DASHBOARD_METER = "bff.dashboard";

	private final DashboardDefinition definition;

	private final FanOut fanOut;

	private final MeterRegistry meters;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	DashboardController(DashboardDefinition definition, FanOut fanOut, MeterRegistry meters) {
		this.definition = definition;
		this.fanOut = fanOut;
		this.meters = meters;
	}

	/**
	 * The dashboard of the verified caller: the user id comes from the token (see the security package), never
	 * from a header, so a client can only ever read its own.
	 */
	@GetMapping("/dashboard")
	ResponseEntity<?> dashboard(HttpServletRequest request) {
		Caller caller = Caller.of(request).orElse(null);
		if (caller == null) {
			// the security chain lets no anonymous request get here; should it be replaced by one that does, fail closed
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, "A bearer token is required.");
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem);
		}
		long start = System.nanoTime();
		Aggregate aggregate = this.fanOut.run(this.definition.parts(caller));
		boolean usable = aggregate.usable();
		// unusable: only the missing required parts are named; the others were cancelled, not failed, and
		// which of them finished first is timing, not something a client should see vary
		List<String> degraded = usable ? aggregate.degraded() : aggregate.missingRequired();
		timer(degraded.size(), usable).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		if (!usable) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"Required parts could not be fetched: " + String.join(", ", degraded) + ".");
			problem.setTitle("Dashboard unavailable");
			problem.setProperty("degraded", degraded);
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
		}
		return ResponseEntity.ok(this.definition.payload(caller, aggregate, degraded));
	}

	private Timer timer(int degraded, boolean usable) {
		String key = degraded + (usable ? "" : "!");
		return this.timers.computeIfAbsent(key, (k) -> Timer.builder(DASHBOARD_METER)
			.description("Dashboard requests, by number of degraded parts")
			.tag("degraded", Integer.toString(degraded))
			.tag("outcome", usable ? "ok" : "unavailable")
			.register(this.meters));
	}

}
