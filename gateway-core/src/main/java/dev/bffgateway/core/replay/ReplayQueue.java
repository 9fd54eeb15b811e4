package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.List;

/** What triggers replays (an SQS FIFO queue), with its dead-letter queue. Failures are thrown. */
interface ReplayQueue {

	/** One message: which request of which route, and how to answer for it. */
	record Message(String messageId, String route, String requestId, String receipt, String group) {
	}

	/** Queues a request's replay, in its group's order; the request id deduplicates. */
	void send(String route, String requestId, String group);

	/** @return up to {@code max} messages, waiting up to {@code wait} for the first */
	List<Message> receive(int max, Duration wait);

	/** The message is done with. */
	void delete(String receipt);

	/** The message comes back after {@code delay}. */
	void delay(String receipt, Duration delay);

	/** Puts a request that failed every attempt on the dead-letter queue, for an operator to look at or redrive. */
	void deadLetter(String route, String requestId, String group);

	/** @return messages waiting or in flight, as the queue estimates them */
	long depth();

}
