package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs replays for a batch of queue messages, as SQS delivered them: each message group's in order, one after the
 * other (a FIFO queue delivers a group's next message only once the one before is done), groups side by side on
 * virtual threads. A message whose request is tried again comes back after its delay; a group stops at its first
 * such message, so the writes after it wait in the queue rather than overtake it.
 */
final class Replays {

	private static final Logger logger = LoggerFactory.getLogger(Replays.class);

	private final ReplayWorker worker;

	Replays(ReplayWorker worker) {
		this.worker = worker;
	}

	/**
	 * @param messages a batch, in the order received
	 * @return each message's outcome, by message id; a message after a failed one of its group is retried unread
	 */
	Map<String, ReplayWorker.Outcome> run(List<ReplayQueue.Message> messages, Duration failureDelay) {
		Map<String, List<ReplayQueue.Message>> groups = new LinkedHashMap<>();
		for (ReplayQueue.Message message : messages) {
			groups.computeIfAbsent(message.group(), (g) -> new ArrayList<>()).add(message);
		}
		Map<String, ReplayWorker.Outcome> outcomes = new ConcurrentHashMap<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> running = new ArrayList<>();
			for (List<ReplayQueue.Message> group : groups.values()) {
				running.add(executor.submit(() -> {
					boolean blocked = false;
					for (ReplayQueue.Message message : group) {
						ReplayWorker.Outcome outcome;
						if (blocked) {
							outcome = ReplayWorker.Outcome.retry(Duration.ZERO);
						}
						else {
							try {
								outcome = this.worker.replay(message.route(), message.requestId());
							}
							catch (RuntimeException ex) {
								logger.warn("A replay failed ({}); its message comes back", ex.getClass().getSimpleName());
								logger.debug("Replay failure", ex);
								outcome = ReplayWorker.Outcome.retry(failureDelay);
							}
						}
						blocked = blocked || outcome.kind() == ReplayWorker.Kind.RETRY || outcome.kind() == ReplayWorker.Kind.WAIT;
						outcomes.put(message.messageId(), outcome);
					}
				}));
			}
		}
		return outcomes;
	}

}
