package dev.bffgateway.core.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import dev.bffgateway.core.promotion.Decision;
import dev.bffgateway.core.promotion.Promotions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ops}: the page, to anyone who reaches the management port (which is not the public one). {@code POST
 * /ops/routes/{id}} with {@code action} ({@code pin}, {@code unpin}, {@code rollback}) and {@code token}: an
 * operator's action, taken only with a token whose SHA-256 matches a configured operator's (compared in constant
 * time), audited in the log (and in the route's promotion history) with the operator's name; a missing or wrong token
 * gets {@code 403} and a WARN line, never the token itself. The answer is the page, with the action's outcome.
 */
final class OpsServlet extends HttpServlet {

	private static final Logger logger = LoggerFactory.getLogger(OpsServlet.class);

	private static final String ROUTES = "/routes/";

	private final transient OpsPage page;

	private final transient @Nullable Promotions promotions;

	private final Map<String, byte[]> operators;

	private final String application;

	OpsServlet(OpsPage page, @Nullable Promotions promotions, Map<String, String> operators, String application) {
		this.page = page;
		this.promotions = promotions;
		this.operators = new java.util.HashMap<>();
		operators.forEach((name, hash) -> this.operators.put(name, HexFormat.of().parseHex(hash)));
		this.application = application;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = (request.getPathInfo() != null) ? request.getPathInfo() : "";
		if (!path.isEmpty() && !path.equals("/")) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		write(response, HttpServletResponse.SC_OK, null);
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = (request.getPathInfo() != null) ? request.getPathInfo() : "";
		Promotions promotions = this.promotions;
		if (!path.startsWith(ROUTES) || path.length() == ROUTES.length() || promotions == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		String route = path.substring(ROUTES.length());
		String operator = operator(request.getParameter("token"));
		if (operator == null) {
			logger.warn("Ops: an action on route '{}' was refused: no valid operator token", route);
			write(response, HttpServletResponse.SC_FORBIDDEN, "Refused: that is not an operator's token.");
			return;
		}
		Promotions.Action action;
		try {
			action = Promotions.Action.valueOf(String.valueOf(request.getParameter("action")).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			write(response, HttpServletResponse.SC_BAD_REQUEST, "Unknown action: pin, unpin or rollback.");
			return;
		}
		try {
			Decision decision = promotions.act(route, action, operator);
			logger.info("Ops: operator '{}' did {} on route '{}': weight {} -> {}", operator, decision.kind(), route,
					decision.from(), decision.to());
			write(response, HttpServletResponse.SC_OK, "Operator " + operator + ": " + decision.kind() + " on route "
					+ route + ", weight " + decision.from() + " % → " + decision.to() + " %.");
		}
		catch (IllegalArgumentException ex) {
			write(response, HttpServletResponse.SC_NOT_FOUND, "No route '" + route + "' with a promotion policy.");
		}
		catch (RuntimeException ex) {
			logger.warn("Ops: operator '{}' could not {} route '{}' ({})", operator, action, route,
					ex.getClass().getSimpleName());
			write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Not done: the promotion store did not answer.");
		}
	}

	/** @return the operator whose token this is, or {@code null} */
	private @Nullable String operator(@Nullable String token) {
		if (token == null || token.isEmpty()) {
			return null;
		}
		byte[] hash;
		try {
			hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
		String found = null;
		for (Map.Entry<String, byte[]> operator : this.operators.entrySet()) {
			if (MessageDigest.isEqual(hash, operator.getValue())) {
				found = operator.getKey();
			}
		}
		return found;
	}

	private void write(HttpServletResponse response, int status, @Nullable String notice) throws IOException {
		response.setStatus(status);
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
		response.setHeader("X-Frame-Options", "DENY");
		response.getWriter().write(this.page.render(this.application, notice));
	}

}
