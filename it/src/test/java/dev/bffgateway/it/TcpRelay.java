package dev.bffgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of another, which a test can cut and restore: while cut, every open
 * connection is closed and new ones are accepted but never answered (a store that has become unreachable and
 * slow: a client waits until its own timeout); restored, it relays again.
 */
final class TcpRelay implements AutoCloseable {

	private final ServerSocket server;

	private final int target;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	TcpRelay(int target) {
		this.target = target;
		try {
			this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread.ofVirtual().name("relay-accept").start(this::accept);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/** Closes every connection; new ones hang unanswered until {@link #restore()}. */
	void cut() {
		this.cut = true;
		closeAll();
	}

	/** Relays again; connections left hanging while cut are closed. */
	void restore() {
		this.cut = false;
		closeAll();
	}

	private void closeAll() {
		for (Socket socket : this.open) {
			close(socket);
		}
		this.open.clear();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.open.add(client);
				if (this.cut) {
					continue; // accepted, never answered
				}
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.open.add(upstream);
				Thread.ofVirtual().start(() -> pump(client, upstream));
				Thread.ofVirtual().start(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection closed
			}
		}
	}

	private void pump(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// one side closed
		}
		finally {
			close(from);
			close(to);
			this.open.remove(from);
			this.open.remove(to);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		closeAll();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
