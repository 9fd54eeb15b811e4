package dev.bffgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The user, activity and account services as WireMock servers on random loopback ports, one per service as
 * in production. Started once per JVM and shared by every Spring test context, so a cached context never
 * points at a stopped stub; tests call {@link #healthy()} first to reset stubs and journals.
 */
final class Downstreams {

	static final String USER_ID = "42";

	static final WireMockServer USER = start();

	static final WireMockServer ACTIVITY = start();

	static final WireMockServer ACCOUNT = start();

	private static final Map<String, WireMockServer> BY_NAME = Map.of("user", USER, "activity", ACTIVITY,
			"account", ACCOUNT);

	/** The dependencies in payload order. */
	static final List<String> NAMES = List.of("user", "activity", "account");

	private Downstreams() {
	}

	/** A WireMock server on a random loopback port, stopped when the JVM exits. */
	static WireMockServer start() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
		return server;
	}

	static WireMockServer of(String dependency) {
		return BY_NAME.get(dependency);
	}

	/**
	 * Points the BFF's dependencies at the stubs, its token settings at the test issuer ({@link Tokens}), and its
	 * management port at a free one (every cached test context keeps its own).
	 */
	static void register(DynamicPropertyRegistry registry) {
		Tokens.register(registry);
		registry.add("management.server.port", () -> "0");
		BY_NAME.forEach((name, server) -> registry.add("gateway.dependencies.instances." + name + ".base-url",
				server::baseUrl));
	}

	/** Resets every stub to the healthy downstream contract (README) for user {@value #USER_ID}. */
	static void healthy() {
		BY_NAME.values().forEach(WireMockServer::resetAll);
		USER.stubFor(get(urlPathEqualTo("/users/" + USER_ID)).willReturn(okJson(contract("user"))));
		for (String limit : new String[] { "20", "5" }) { // web asks for 20, mobile for 5
			ACTIVITY.stubFor(get(urlPathEqualTo("/users/" + USER_ID + "/activity")).withQueryParam("limit", equalTo(limit))
				.willReturn(okJson(contract("activity"))));
		}
		ACCOUNT.stubFor(get(urlPathEqualTo("/accounts/" + USER_ID)).willReturn(okJson(contract("account"))));
	}

	/** The path each dependency is called on for user {@value #USER_ID}. */
	static String path(String dependency) {
		return switch (dependency) {
			case "user" -> "/users/" + USER_ID;
			case "activity" -> "/users/" + USER_ID + "/activity";
			case "account" -> "/accounts/" + USER_ID;
			default -> throw new IllegalArgumentException(dependency);
		};
	}

	/** The contract body a healthy dependency answers with (src/test/resources/contract). */
	static String contract(String dependency) {
		try (InputStream in = Downstreams.class.getResourceAsStream("/contract/" + dependency + ".json")) {
			if (in == null) {
				throw new IllegalArgumentException("no contract for " + dependency);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
