package dev.bffgateway.core.routing;

/**
 * A route table that cannot be used. The message names the file, the key and the value, e.g.
 * {@code routes/web-bff.yml: routes[2].weight must be 0..100, but was 140}.
 */
public class InvalidRouteTableException extends RuntimeException {

	public InvalidRouteTableException(String message) {
		super(message);
	}

	public InvalidRouteTableException(String message, Throwable cause) {
		super(message, cause);
	}

}
