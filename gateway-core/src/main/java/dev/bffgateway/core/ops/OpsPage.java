package dev.bffgateway.core.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.bffgateway.core.promotion.Decision;
import dev.bffgateway.core.promotion.PromotionState;
import dev.bffgateway.core.promotion.Promotions;
import dev.bffgateway.core.routing.Route;
import dev.bffgateway.core.routing.RouteTable;
import dev.bffgateway.core.routing.RouteTables;
import dev.bffgateway.core.routing.Side;
import dev.bffgateway.core.routing.Strangler;
import dev.bffgateway.core.shadow.Comparison;
import dev.bffgateway.core.shadow.Mismatch;
import dev.bffgateway.core.shadow.ShadowRuns;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.HtmlUtils;

/**
 * Renders the ops page: plain HTML with its own styles and inline SVG charts, every figure in the markup (no script),
 * reloading itself every few seconds.
 */
final class OpsPage {

	private final RouteTables tables;

	private final Strangler strangler;

	private final CircuitBreakerRegistry breakers;

	private final @Nullable ShadowRuns shadows;

	private final @Nullable Promotions promotions;

	private final int refresh;

	OpsPage(RouteTables tables, Strangler strangler, CircuitBreakerRegistry breakers, @Nullable ShadowRuns shadows,
			@Nullable Promotions promotions, int refresh) {
		this.tables = tables;
		this.strangler = strangler;
		this.breakers = breakers;
		this.shadows = shadows;
		this.promotions = promotions;
		this.refresh = refresh;
	}

	/** @param notice a line to show above the routes (an action's outcome), or {@code null} */
	String render(String application, @Nullable String notice) {
		RouteTable table = this.tables.current();
		StringBuilder html = new StringBuilder(16 * 1024);
		html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta http-equiv=\"refresh\" content=\"").append(this.refresh).append("; url=/ops\">")
			.append("<title>").append(e(application)).append(" ops</title><style>")
			.append("body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em}")
			.append("h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}")
			.append("table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.25em .6em;")
			.append("text-align:left}th{background:#f4f4f4}.open{color:#b00;font-weight:bold}.ok{color:#070}")
			.append(".notice{background:#ffd;padding:.5em;border:1px solid #cc8}form{display:inline}")
			.append("code{font-size:13px}</style></head><body>");
		html.append("<h1>").append(e(application)).append(" — strangler ops</h1>");
		if (notice != null) {
			html.append("<p class=\"notice\" id=\"notice\">").append(e(notice)).append("</p>");
		}
		html.append("<p>Route table <code>").append(e(table.source())).append("</code> version ")
			.append(table.version()).append(", loaded ").append(e(table.loadedAt().toString())).append(". ");
		RouteTables.ReloadResult reload = this.tables.lastReload();
		if (reload != null) {
			html.append("Last reload ").append(e(reload.at().toString())).append(": ")
				.append(reload.accepted() ? "<span class=\"ok\">accepted</span>"
						: "<span class=\"open\">rejected</span> — <code>" + e(String.valueOf(reload.error())) + "</code>");
		}
		html.append(" Rejected reloads: ").append(this.tables.rejectedReloads()).append(".</p>");
		Set<String> routeBreakers = new HashSet<>();
		for (Route route : table.routes()) {
			route(html, route, routeBreakers);
		}
		html.append("<h2>Dashboard dependencies</h2><table><tr><th>breaker</th><th>state</th><th>failure rate</th>")
			.append("<th>buffered calls</th></tr>");
		for (CircuitBreaker breaker : this.breakers.getAllCircuitBreakers()) {
			if (routeBreakers.contains(breaker.getName())) {
				continue;
			}
			html.append("<tr><td>").append(e(breaker.getName())).append("</td><td>").append(state(breaker))
				.append("</td><td>").append(rate(breaker.getMetrics().getFailureRate())).append("</td><td>")
				.append(breaker.getMetrics().getNumberOfBufferedCalls()).append("</td></tr>");
		}
		html.append("</table></body></html>");
		return html.toString();
	}

	private void route(StringBuilder html, Route route, Set<String> routeBreakers) {
		String id = route.id();
		long legacy = served(id, Side.LEGACY);
		long fresh = served(id, Side.NEW);
		html.append("<h2 id=\"route-").append(e(id)).append("\">Route <code>").append(e(id)).append("</code></h2>");
		html.append("<table><tr><th>weight</th><td class=\"weight\" data-route=\"").append(e(id)).append("\">")
			.append(route.weight()).append(" %</td></tr>");
		Route declared = this.tables.declared(id);
		if (declared != null && declared.weight() != route.weight()) {
			html.append("<tr><th>declared in the file</th><td>").append(declared.weight()).append(" %</td></tr>");
		}
		html.append("<tr><th>observed split</th><td>").append((legacy + fresh == 0) ? "no requests yet"
				: String.format(Locale.ROOT, "%.1f %% new of %d", 100.0 * fresh / (legacy + fresh), legacy + fresh))
			.append("</td></tr>");
		for (Side side : Side.values()) {
			CircuitBreaker breaker = this.strangler.breaker(route, side);
			routeBreakers.add(breaker.getName());
			long requests = served(id, side);
			long errors = this.strangler.count(id, side, "error");
			html.append("<tr><th>").append(side.value()).append(" side</th><td>").append(e(route.uri(side).toString()))
				.append(" — breaker ").append(state(breaker)).append(", ").append(requests).append(" requests, ")
				.append(errors).append(" errors (")
				.append(rate((requests == 0) ? 0 : 100f * errors / requests)).append(")</td></tr>");
		}
		ShadowRuns shadows = this.shadows;
		if (shadows != null && route.shadow() != null) {
			Map<String, Long> comparisons = shadows.comparisons(id);
			long compared = comparisons.get("match") + comparisons.get("mismatch");
			html.append("<tr><th>parallel run</th><td>").append(route.shadow().percent()).append(" % shadowed; ")
				.append(compared).append(" compared, mismatch rate <span class=\"mismatch\">")
				.append(rate((compared == 0) ? 0 : 100f * comparisons.get("mismatch") / compared)).append("</span>, ")
				.append(comparisons.get("error")).append(" errors</td></tr>");
		}
		html.append("</table>");
		promotion(html, route);
		if (shadows != null && route.shadow() != null) {
			List<Mismatch> mismatches = shadows.mismatches(id);
			if (!mismatches.isEmpty()) {
				html.append("<details><summary>Last ").append(mismatches.size())
					.append(" mismatches</summary><table><tr><th>at</th><th>served by</th><th>where</th></tr>");
				for (Mismatch mismatch : mismatches) {
					html.append("<tr><td>").append(e(mismatch.at().toString())).append("</td><td>")
						.append(e(mismatch.served())).append("</td><td>");
					for (Comparison.Difference difference : mismatch.differences()) {
						html.append("<code>").append(e(difference.path())).append("</code>");
						if (difference.served() != null || difference.shadow() != null) {
							html.append(": ").append(e(String.valueOf(difference.served()))).append(" ≠ ")
								.append(e(String.valueOf(difference.shadow())));
						}
						html.append(" ");
					}
					html.append("</td></tr>");
				}
				html.append("</table></details>");
			}
		}
	}

	private void promotion(StringBuilder html, Route route) {
		Promotions promotions = this.promotions;
		Route.Promotion policy = route.promotion();
		if (promotions == null || policy == null) {
			return;
		}
		PromotionState state = promotions.state(route.id());
		html.append("<p>Promotion along ").append(e(policy.steps().toString())).append(" every ")
			.append(e(policy.interval().toString().substring(2).toLowerCase(Locale.ROOT))).append(", at least ").append(policy.minRequests())
			.append(" requests, errors under ").append(rate((float) policy.maxErrorRate() * 100))
			.append(", mismatches under ").append(rate((float) policy.maxMismatchRate() * 100)).append(". ");
		if (promotions.advisory()) {
			html.append("<strong>Advisory</strong>: no shared table, the weight stays as the file says. ");
		}
		if (state == null) {
			html.append("Not started yet.</p>");
			return;
		}
		html.append("State: <span class=\"promotion\">").append(state.pinned() ? "pinned" : "automatic")
			.append("</span>, this interval: ").append(state.requests()).append(" requests, ").append(state.errors())
			.append(" errors, ").append(state.comparisons()).append(" comparisons, ").append(state.mismatches())
			.append(" mismatches.</p>");
		String id = e(route.id());
		html.append("<form method=\"post\" action=\"/ops/routes/").append(id).append("\">")
			.append("<label>Operator token <input type=\"password\" name=\"token\" autocomplete=\"off\"></label> ");
		for (String action : List.of("pin", "unpin", "rollback")) {
			html.append("<button type=\"submit\" name=\"action\" value=\"").append(action).append("\" id=\"")
				.append(action).append("-").append(id).append("\">")
				.append(action.equals("rollback") ? "roll back now" : action).append("</button> ");
		}
		html.append("</form>");
		List<Decision> history = new ArrayList<>(state.history());
		if (history.isEmpty()) {
			return;
		}
		html.append(chart(history));
		html.append("<table><tr><th>at</th><th>decision</th><th>weight</th><th>requests</th><th>error rate</th>")
			.append("<th>comparisons</th><th>mismatch rate</th><th>by</th></tr>");
		for (Decision d : history) {
			html.append("<tr><td>").append(e(d.at().toString())).append("</td><td>").append(e(d.kind()))
				.append("</td><td>").append(d.from()).append(" → ").append(d.to()).append("</td><td>")
				.append(d.requests()).append("</td><td>").append(rate((float) d.errorRate() * 100)).append("</td><td>")
				.append(d.comparisons()).append("</td><td>").append(rate((float) d.mismatchRate() * 100))
				.append("</td><td>").append(e(d.by())).append("</td></tr>");
		}
		html.append("</table>");
	}

	/** Weight (blue), error rate (red) and mismatch rate (orange), oldest decision on the left, 0 to 100 %. */
	private static String chart(List<Decision> newestFirst) {
		List<Decision> history = new ArrayList<>(newestFirst);
		java.util.Collections.reverse(history);
		int width = 360;
		int height = 100;
		// the weight before the oldest decision, then after each: n decisions, n + 1 points
		List<int[]> points = new ArrayList<>();
		points.add(new int[] { history.get(0).from(), 0, 0 });
		for (Decision d : history) {
			points.add(new int[] { d.to(), (int) Math.round(d.errorRate() * 100), (int) Math.round(d.mismatchRate() * 100) });
		}
		StringBuilder weight = new StringBuilder();
		StringBuilder errors = new StringBuilder();
		StringBuilder mismatches = new StringBuilder();
		for (int i = 0; i < points.size(); i++) {
			int x = i * width / (points.size() - 1);
			int[] p = points.get(i);
			weight.append(x).append(',').append(height - p[0]).append(' ');
			errors.append(x).append(',').append(height - Math.min(100, p[1])).append(' ');
			mismatches.append(x).append(',').append(height - Math.min(100, p[2])).append(' ');
		}
		return "<svg width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
				+ "\" role=\"img\" aria-label=\"weight and rates over the last decisions\" style=\"display:block;border:1px solid #ddd\">"
				+ "<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"2\" points=\"" + weight + "\"/>"
				+ "<polyline fill=\"none\" stroke=\"#c33\" points=\"" + errors + "\"/>"
				+ "<polyline fill=\"none\" stroke=\"#e90\" points=\"" + mismatches + "\"/></svg>"
				+ "<p><small>blue: weight · red: error rate · orange: mismatch rate (0–100 %)</small></p>";
	}

	private long served(String route, Side side) {
		return this.strangler.count(route, side, "ok") + this.strangler.count(route, side, "error");
	}

	private static String state(CircuitBreaker breaker) {
		CircuitBreaker.State state = breaker.getState();
		boolean open = state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
		return "<span class=\"" + (open ? "open" : "ok") + "\">" + state.name() + "</span>";
	}

	private static String rate(float percent) {
		return (percent < 0) ? "—" : String.format(Locale.ROOT, "%.2f %%", percent);
	}

	private static String e(String text) {
		return HtmlUtils.htmlEscape(text);
	}

}
