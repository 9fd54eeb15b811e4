package dev.bffgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The container edge: the BFF's embedded Tomcat on a real port. */
record ContainerEdge(int port) implements Edge {

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Override
	public String name() {
		return "container";
	}

	@Override
	public Response send(Request request) {
		String uri = "http://127.0.0.1:" + this.port + request.path()
				+ (request.query().isEmpty() ? "" : "?" + request.query());
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(10))
			.method(request.method(), (request.body() != null) ? HttpRequest.BodyPublishers.ofString(request.body())
					: HttpRequest.BodyPublishers.noBody());
		request.headers().forEach((name, values) -> values.forEach((value) -> builder.header(name, value)));
		try {
			HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			return Response.of(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
