package dev.bffgateway.core.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A BFF's own client policy at the door (partner-bff: API keys and rate limits), run inside the security filter
 * chain in a fixed place on both edges: after the boundary (limits, normal-form path, client identity headers
 * dropped) and before the bearer token is verified; never on the management port. It may refuse (write a
 * problem ({@code dev.bffgateway.core.problem.Problems}) and not continue) or continue with a wrapped request, e.g. one carrying an identity
 * header the BFF sets.
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
	void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException;

}
