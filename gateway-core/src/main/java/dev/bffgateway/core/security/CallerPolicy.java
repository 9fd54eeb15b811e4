package dev.bffgateway.core.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * A client-specific rule a verified caller must also satisfy, checked after the token's signature, issuer,
 * expiry, audience and scopes. partner-bff uses one to bind a user-delegated token to the partner whose API key
 * came with it. Any number of beans of this type may be declared; every one must agree.
 */
@FunctionalInterface
public interface CallerPolicy {

	/**
	 * @param caller the verified caller
	 * @param request the request
	 * @return why the caller may not make this request (answered {@code 403}), or {@code null} to allow it
	 */
	@Nullable String refusal(Caller caller, HttpServletRequest request);

}
