package dev.bffgateway.core.circuit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import static dev.bffgateway.core.config.DynamoAttributes.n;
import static dev.bffgateway.core.config.DynamoAttributes.number;
import static dev.bffgateway.core.config.DynamoAttributes.s;
import static dev.bffgateway.core.config.DynamoAttributes.string;

/**
 * The verdicts in a DynamoDB table: partition key {@code namespace} (the BFF, so BFFs can share one table), sort key
 * {@code circuit}; attributes {@code state} ({@code OPEN} or {@code CLOSED}), {@code openedBy}, {@code openUntil}
 * and {@code probeUntil} (epoch milliseconds), {@code probeBy}, {@code version}, and {@code expiresAt} (epoch
 * seconds), the table's TTL attribute, so the item of a circuit nobody has touched for a while goes away by itself.
 * A read is one eventually consistent {@code Query}; every write one conditional {@code UpdateItem}.
 */
final class DynamoDbCircuitStore implements CircuitStore {

	private static final String OPEN = "OPEN";

	private static final String CLOSED = "CLOSED";

	private final DynamoDbClient dynamo;

	private final String table;

	private final String namespace;

	private final long ttlSeconds;

	/**
	 * @param dynamo the client, with its timeouts set
	 * @param table the table's name
	 * @param namespace this BFF's partition
	 * @param ttl how long an item outlives its last change
	 */
	DynamoDbCircuitStore(DynamoDbClient dynamo, String table, String namespace, Duration ttl) {
		this.dynamo = dynamo;
		this.table = table;
		this.namespace = namespace;
		this.ttlSeconds = ttl.toSeconds();
	}

	@Override
	public List<Verdict> read() {
		List<Verdict> verdicts = new ArrayList<>();
		QueryRequest query = QueryRequest.builder()
			.tableName(this.table)
			.keyConditionExpression("#ns = :ns")
			.expressionAttributeNames(Map.of("#ns", "namespace"))
			.expressionAttributeValues(Map.of(":ns", s(this.namespace)))
			.build();
		this.dynamo.queryPaginator(query).items().forEach((item) -> verdicts.add(verdict(item)));
		return verdicts;
	}

	private static Verdict verdict(Map<String, AttributeValue> item) {
		return new Verdict(item.get("circuit").s(), OPEN.equals(string(item, "state")), string(item, "openedBy"),
				number(item, "openUntil"), number(item, "version"), string(item, "probeBy"), number(item, "probeUntil"));
	}

	@Override
	public boolean open(String circuit, String instance, long openUntil, long now) {
		return update(circuit, "SET #state = :open, openedBy = :me, openUntil = :until, expiresAt = :expires, "
				+ "version = if_not_exists(version, :zero) + :one REMOVE probeBy, probeUntil",
				"attribute_not_exists(#state) OR #state = :closed",
				Map.of(":open", s(OPEN), ":closed", s(CLOSED), ":me", s(instance), ":until", n(openUntil),
						":expires", n(expires(openUntil)), ":zero", n(0), ":one", n(1)));
	}

	@Override
	public boolean acquireProbe(String circuit, long version, String instance, long leaseUntil, long now) {
		return update(circuit, "SET probeBy = :me, probeUntil = :lease",
				"#state = :open AND version = :version AND openUntil <= :now "
						+ "AND (attribute_not_exists(probeUntil) OR probeUntil <= :now)",
				Map.of(":open", s(OPEN), ":version", n(version), ":now", n(now), ":me", s(instance), ":lease",
						n(leaseUntil)));
	}

	@Override
	public boolean close(String circuit, long version, String instance, long now) {
		return update(circuit, "SET #state = :closed, expiresAt = :expires, version = version + :one "
				+ "REMOVE probeBy, probeUntil, openUntil",
				"version = :version AND probeBy = :me",
				Map.of(":closed", s(CLOSED), ":expires", n(expires(now)), ":one", n(1), ":version", n(version),
						":me", s(instance)));
	}

	@Override
	public boolean reopen(String circuit, long version, String instance, long openUntil, long now) {
		return update(circuit, "SET openedBy = :me, openUntil = :until, expiresAt = :expires, version = version + :one "
				+ "REMOVE probeBy, probeUntil",
				"version = :version AND probeBy = :me",
				Map.of(":me", s(instance), ":until", n(openUntil), ":expires", n(expires(openUntil)), ":one", n(1),
						":version", n(version)));
	}

	private boolean update(String circuit, String update, String condition, Map<String, AttributeValue> values) {
		Map<String, String> names = new HashMap<>();
		if (update.contains("#state") || condition.contains("#state")) {
			names.put("#state", "state");
		}
		UpdateItemRequest.Builder request = UpdateItemRequest.builder()
			.tableName(this.table)
			.key(Map.of("namespace", s(this.namespace), "circuit", s(circuit)))
			.updateExpression(update)
			.conditionExpression(condition)
			.expressionAttributeValues(values);
		if (!names.isEmpty()) {
			request.expressionAttributeNames(names);
		}
		try {
			this.dynamo.updateItem(request.build());
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	private long expires(long epochMillis) {
		return epochMillis / 1000 + this.ttlSeconds;
	}

}
