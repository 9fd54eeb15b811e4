package dev.bffgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain JDK HTTP client for calling a BFF under test over a real socket. */
final class Bff {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	Bff(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	/** @param headers name, value, name, value, ... */
	Response get(String path, String... headers) {
		return send("GET", path, headers);
	}

	Response send(String method, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.noBody());
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		long start = System.nanoTime();
		try {
			HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response, Duration.ofNanos(System.nanoTime() - start));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Response(HttpResponse<String> raw, Duration elapsed) {

		int status() {
			return this.raw.statusCode();
		}

		String contentType() {
			return this.raw.headers().firstValue("Content-Type").orElse("");
		}

		JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

		String body() {
			return this.raw.body();
		}

	}

}
