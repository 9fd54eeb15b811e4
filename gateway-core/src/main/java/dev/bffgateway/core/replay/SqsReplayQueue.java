package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Replay triggers on an SQS FIFO queue: the message body names the route and the request's id,
 * {@code {"route":"orders","id":"…"}} (the request itself is in the table);
 * the message group keeps one group's requests in order; the deduplication id is the request id, so queuing a
 * request twice within SQS's five minutes queues it once.
 */
final class SqsReplayQueue implements ReplayQueue {

	/** SQS's longest visibility timeout. */
	private static final Duration LONGEST_DELAY = Duration.ofHours(12);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SqsClient sqs;

	private final String queueUrl;

	private final @Nullable String deadLetterUrl;

	SqsReplayQueue(SqsClient sqs, String queueUrl, @Nullable String deadLetterUrl) {
		this.sqs = sqs;
		this.queueUrl = queueUrl;
		this.deadLetterUrl = deadLetterUrl;
	}

	@Override
	public void send(String route, String requestId, String group) {
		send(this.queueUrl, route, requestId, group);
	}

	private void send(String url, String route, String requestId, String group) {
		this.sqs.sendMessage((message) -> message.queueUrl(url)
			.messageBody(body(route, requestId))
			.messageGroupId(group)
			.messageDeduplicationId(requestId));
	}

	@Override
	public List<Message> receive(int max, Duration wait) {
		return this.sqs
			.receiveMessage((receive) -> receive.queueUrl(this.queueUrl)
				.maxNumberOfMessages(max)
				.waitTimeSeconds((int) Math.max(0, Math.min(20, wait.toSeconds())))
				.messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID))
			.messages()
			.stream()
			.map((m) -> message(m.messageId(), m.body(), m.receiptHandle(),
					m.attributes().getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, "")))
			.toList();
	}

	static String body(String route, String requestId) {
		return JSON.writeValueAsString(Map.of("route", route, "id", requestId));
	}

	/** @return the message a body names; one that names nothing readable has empty route and id */
	static Message message(String messageId, String body, String receipt, String group) {
		try {
			JsonNode named = JSON.readTree(body);
			return new Message(messageId, named.path("route").asString(""), named.path("id").asString(""), receipt,
					group);
		}
		catch (JacksonException ex) {
			return new Message(messageId, "", "", receipt, group);
		}
	}

	@Override
	public void delete(String receipt) {
		this.sqs.deleteMessage((delete) -> delete.queueUrl(this.queueUrl).receiptHandle(receipt));
	}

	@Override
	public void delay(String receipt, Duration delay) {
		int seconds = (int) Math.min(LONGEST_DELAY.toSeconds(), Math.max(0, delay.toSeconds()));
		this.sqs.changeMessageVisibility((change) -> change.queueUrl(this.queueUrl)
			.receiptHandle(receipt)
			.visibilityTimeout(seconds));
	}

	@Override
	public void deadLetter(String route, String requestId, String group) {
		if (this.deadLetterUrl != null) {
			send(this.deadLetterUrl, route, requestId, group);
		}
	}

	@Override
	public long depth() {
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((get) -> get.queueUrl(this.queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.attributes();
		return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
				+ Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
	}

}
