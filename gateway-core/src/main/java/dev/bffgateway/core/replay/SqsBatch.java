package dev.bffgateway.core.replay;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The SQS event a Lambda event source mapping hands the replay function, and the partial batch response it answers
 * ({@code ReportBatchItemFailures}): only the fields the replay reads, as AWS names them. Public only so the
 * function's JSON binding reaches them.
 */
public final class SqsBatch {

	private SqsBatch() {
	}

	/** A batch of messages. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Event(@JsonProperty("Records") @Nullable List<Record> records) {
	}

	/** One message. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Record(String messageId, String receiptHandle, String body, @Nullable Map<String, String> attributes) {

		String group() {
			return (this.attributes != null) ? this.attributes.getOrDefault("MessageGroupId", "") : "";
		}

	}

	/** The messages that failed, to come back; every other one is deleted by Lambda. */
	public record Response(List<ItemFailure> batchItemFailures) {
	}

	/** One failed message, by its id. */
	public record ItemFailure(String itemIdentifier) {
	}

}
