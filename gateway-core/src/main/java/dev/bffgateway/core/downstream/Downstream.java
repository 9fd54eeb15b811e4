package dev.bffgateway.core.downstream;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clients of all configured dependencies, by name. Look clients up once (e.g. in a constructor) so a
 * missing dependency stops startup instead of failing a request.
 */
public final class Downstream implements AutoCloseable {

	private final Map<String, DownstreamClient> clients;

	Downstream(Collection<DownstreamClient> clients) {
		Map<String, DownstreamClient> byName = new LinkedHashMap<>();
		clients.forEach((client) -> byName.put(client.name(), client));
		this.clients = Collections.unmodifiableMap(byName);
	}

	/**
	 * @param name the dependency name, as configured under {@code gateway.dependencies.instances}
	 * @return its client
	 * @throws IllegalStateException naming the missing key if no such dependency is configured
	 */
	public DownstreamClient client(String name) {
		DownstreamClient client = this.clients.get(name);
		if (client == null) {
			throw new IllegalStateException("gateway.dependencies.instances." + name
					+ ".base-url must be set: dependency '" + name + "' is used but not configured (configured: "
					+ this.clients.keySet() + ")");
		}
		return client;
	}

	/**
	 * Closes every client's connection pools: with the application context (a bean's {@code close} method).
	 * @throws IOException the first failure to close one, the others closed all the same
	 */
	@Override
	public void close() throws IOException {
		IOException failure = null;
		for (DownstreamClient client : this.clients.values()) {
			try {
				client.close();
			}
			catch (IOException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** @return all clients, in configuration order */
	public Collection<DownstreamClient> clients() {
		return this.clients.values();
	}

}
