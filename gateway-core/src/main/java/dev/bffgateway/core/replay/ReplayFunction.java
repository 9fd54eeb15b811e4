package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda replay worker, a Spring Cloud Function ({@code replayRequests}) behind an SQS event source mapping with
 * {@code ReportBatchItemFailures}: it replays a batch as the container's poller does ({@link Replays}) and answers
 * the messages to come back, and only those: a request tried again (its message delayed by its backoff first), and
 * the ones behind it in its group. What is done or given up (dead-lettered) is not listed, so Lambda deletes it.
 */
final class ReplayFunction implements Function<SqsBatch.Event, SqsBatch.Response> {

	private static final Logger logger = LoggerFactory.getLogger(ReplayFunction.class);

	private final @Nullable Replays replays;

	private final @Nullable ReplayQueue queue;

	private final Duration failureDelay;

	/** @param replays the replays, or {@code null} where no request store is configured (every call then fails) */
	ReplayFunction(@Nullable Replays replays, @Nullable ReplayQueue queue, Duration failureDelay) {
		this.replays = replays;
		this.queue = queue;
		this.failureDelay = failureDelay;
	}

	@Override
	public SqsBatch.Response apply(SqsBatch.Event event) {
		Replays replays = this.replays;
		if (replays == null) {
			throw new IllegalStateException("replayRequests needs gateway.replay.table and gateway.replay.queue-url");
		}
		List<SqsBatch.Record> records = (event.records() != null) ? event.records() : List.of();
		List<ReplayQueue.Message> messages = records.stream()
			.map((r) -> SqsReplayQueue.message(r.messageId(), r.body(), r.receiptHandle(), r.group()))
			.toList();
		Map<String, ReplayWorker.Outcome> outcomes = replays.run(messages, this.failureDelay);
		List<SqsBatch.ItemFailure> failures = new ArrayList<>();
		for (ReplayQueue.Message message : messages) {
			ReplayWorker.Outcome outcome = outcomes.get(message.messageId());
			if (outcome == null || outcome.comesBack()) {
				delay(message, (outcome != null) ? outcome.delay() : this.failureDelay);
				failures.add(new SqsBatch.ItemFailure(message.messageId()));
			}
		}
		return new SqsBatch.Response(failures);
	}

	/**
	 * The backoff, as the message's visibility; without it the message comes back after the queue's timeout. A
	 * message held back behind a failed one of its group is made visible at once (zero), or the group would wait the
	 * queue's whole visibility timeout.
	 */
	private void delay(ReplayQueue.Message message, Duration delay) {
		ReplayQueue queue = this.queue;
		if (queue == null) {
			return;
		}
		try {
			queue.delay(message.receipt(), delay);
		}
		catch (RuntimeException ex) {
			logger.debug("A message's backoff could not be set; it comes back after the queue's visibility timeout", ex);
		}
	}

}
