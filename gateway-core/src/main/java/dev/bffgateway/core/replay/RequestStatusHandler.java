package dev.bffgateway.core.replay;

import dev.bffgateway.core.security.Caller;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code GET /requests/{id}}: a stored request's status, to the verified user who sent it and to nobody else. Every
 * other caller, and a request that does not exist, gets the same {@code 404}, so an id tells a stranger nothing. The
 * security boundary has already answered a request without a verified caller ({@code 401}).
 */
final class RequestStatusHandler implements HandlerFunction<ServerResponse> {

	static final String PATH = "/requests/";

	private final @Nullable RequestStore store;

	RequestStatusHandler(@Nullable RequestStore store) {
		this.store = store;
	}

	@Override
	public ServerResponse handle(ServerRequest request) {
		String owner = Caller.of(request.servletRequest()).map(Caller::userId).orElse(null);
		RequestStore store = this.store;
		StoredRequest stored;
		try {
			stored = (store != null && owner != null) ? store.get(request.pathVariable("id")) : null;
		}
		catch (RuntimeException ex) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", "5")
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
						"The request store cannot be read now; try again."));
		}
		if (stored == null || !owner.equals(stored.owner())) {
			return ServerResponse.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such request of yours."));
		}
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(RequestStatus.of(stored));
	}

}
