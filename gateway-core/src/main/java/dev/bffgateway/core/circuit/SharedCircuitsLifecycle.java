package dev.bffgateway.core.circuit;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * When the verdicts are read. At start, once, before the web server takes requests (and on Lambda during the init
 * phase), so a new instance or sandbox knows the open circuits before its first downstream call. Then, in a
 * container, a background thread syncs every refresh interval, and at once when a breaker asks for a write. On
 * Lambda no thread runs between invocations (the sandbox is frozen): each invocation syncs first when the verdicts
 * are stale ({@link InvocationSyncFilter}), and a SnapStart restore marks them stale.
 */
final class SharedCircuitsLifecycle implements SmartLifecycle, Resource {

	private static final Logger logger = LoggerFactory.getLogger(SharedCircuitsLifecycle.class);

	private final SharedCircuits circuits;

	private final boolean background;

	private volatile @Nullable Thread refresher;

	/**
	 * @param circuits what is synced
	 * @param background whether a background thread syncs (a container), or invocations do (Lambda)
	 */
	SharedCircuitsLifecycle(SharedCircuits circuits, boolean background) {
		this.circuits = circuits;
		this.background = background;
		Core.getGlobalContext().register(this);
	}

	@Override
	public void start() {
		this.circuits.sync();
		if (this.background) {
			this.refresher = Thread.ofPlatform().daemon().name("shared-circuits").start(this::refresh);
		}
	}

	private void refresh() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				this.circuits.awaitWork(this.circuits.refreshInterval());
				this.circuits.sync();
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Shared circuit state: a sync failed unexpectedly", ex);
			}
		}
	}

	@Override
	public void stop() {
		Thread thread = this.refresher;
		this.refresher = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.refresher != null || (!this.background && !this.circuits.neverSynced());
	}

	/** Before the web server (whose phase is just below the default), so no request comes before the first read. */
	@Override
	public int getPhase() {
		return 0;
	}

	@Override
	public void beforeCheckpoint(Context<? extends Resource> context) {
		// nothing held open across the snapshot but the SDK's pooled connections, which the JDK client re-opens
	}

	@Override
	public void afterRestore(Context<? extends Resource> context) {
		this.circuits.markStale();
	}

}
