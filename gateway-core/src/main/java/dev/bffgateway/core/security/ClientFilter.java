package dev.bffgateway.core.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A BFF's own client policy at the door (partner-bff: API keys and rate limits), run inside the security filter
 * chain in a fixed place on both edges: after the boundary (limits, normal-form path, client identity headers
 * dropped) and before the bearer token is verified; never on the management port. It may refuse (write a
 * problem ({@code dev.bffgateway.core.problem.Problems}) and not continue), continue, or continue as the partner it
 * identified ({@link Chain#proceedAs}), which the request's {@link Caller} then carries; either way with the request
 * it was given or a wrapped one, e.g. one carrying an identity header the BFF sets.
 *
 * <p>Not a servlet {@code Filter} on purpose: Spring Boot would register a filter bean a second time, outside
 * the chain and in no guaranteed order on the Lambda edge.
 */
@FunctionalInterface
public interface ClientFilter {

	/**
	 * @param request the request, already inside the boundary
	 * @param response the response
	 * @param chain the rest of the chain: call it to let the request through
	 * @throws IOException if writing a refusal fails
	 * @throws ServletException from the rest of the chain
	 */
	void filter(HttpServletRequest request, HttpServletResponse response, Chain chain)
			throws IOException, ServletException;

	/**
	 * The partner a client filter admitted the request as, for a request that may have no {@link Caller}: a
	 * route declared {@code auth: none} still has one. Where there is a caller, {@link Caller#partner()} is the same.
	 * @param request a request that went through the security filter chain
	 * @return the partner, or empty if no client filter named one
	 */
	static Optional<String> partner(HttpServletRequest request) {
		return Optional.ofNullable(Admissions.partner(request));
	}

	/** The rest of the security chain, as a client filter continues it. */
	interface Chain {

		/**
		 * Lets the request through without naming a partner.
		 * @param request the request, or a wrapper of it
		 * @param response the response
		 * @throws IOException from the rest of the chain
		 * @throws ServletException from the rest of the chain
		 */
		void proceed(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;

		/**
		 * Lets the request through as the given partner, which the filter identified by something it checked
		 * (never by a header naming the partner). The request's {@link Caller} carries it.
		 * @param partner the partner id, not blank
		 * @param request the request, or a wrapper of it
		 * @param response the response
		 * @throws IllegalStateException if another client filter already admitted the request as another partner
		 * @throws IOException from the rest of the chain
		 * @throws ServletException from the rest of the chain
		 */
		void proceedAs(String partner, HttpServletRequest request, HttpServletResponse response)
				throws IOException, ServletException;

	}

}
