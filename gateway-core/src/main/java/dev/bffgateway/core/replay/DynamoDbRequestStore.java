package dev.bffgateway.core.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import static dev.bffgateway.core.config.DynamoAttributes.n;
import static dev.bffgateway.core.config.DynamoAttributes.number;
import static dev.bffgateway.core.config.DynamoAttributes.s;
import static dev.bffgateway.core.config.DynamoAttributes.string;

/**
 * Stored requests in a DynamoDB table: partition key {@code id}; a global secondary index {@value #BY_STATUS}
 * ({@code status}, {@code createdAt}) finds the oldest pending one; {@code expiresAt} (epoch seconds) is the TTL
 * attribute, a week after the request's maximum age, so the status endpoint can answer for that long.
 */
final class DynamoDbRequestStore implements RequestStore {

	static final String BY_STATUS = "by-status";

	private static final long RETENTION_SECONDS = Duration.ofDays(7).toSeconds();

	private final DynamoDbClient dynamo;

	private final String table;

	private final long maxAgeSeconds;

	DynamoDbRequestStore(DynamoDbClient dynamo, String table, Duration maxAge) {
		this.dynamo = dynamo;
		this.table = table;
		this.maxAgeSeconds = maxAge.toSeconds();
	}

	@Override
	public boolean create(StoredRequest request) {
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("id", s(request.id()));
		item.put("route", s(request.route()));
		if (request.owner() != null) {
			item.put("owner", s(request.owner()));
		}
		item.put("idempotencyKey", s(request.idempotencyKey()));
		item.put("method", s(request.method()));
		item.put("path", s(request.path()));
		if (request.query() != null) {
			item.put("query", s(request.query()));
		}
		if (request.contentType() != null) {
			item.put("contentType", s(request.contentType()));
		}
		item.put("body", AttributeValue.fromB(SdkBytes.fromByteArray(request.body())));
		item.put("fingerprint", s(request.fingerprint()));
		item.put("group", s(request.group()));
		if (request.stickyKey() != null) {
			item.put("stickyKey", s(request.stickyKey()));
		}
		item.put("status", s(request.status().name()));
		item.put("attempts", n(request.attempts()));
		item.put("createdAt", n(request.createdAt()));
		item.put("updatedAt", n(request.updatedAt()));
		item.put("backendStatus", n(0));
		item.put("leaseUntil", n(0));
		item.put("expiresAt", n(request.createdAt() / 1000 + this.maxAgeSeconds + RETENTION_SECONDS));
		try {
			this.dynamo.putItem((put) -> put.tableName(this.table)
				.item(item)
				.conditionExpression("attribute_not_exists(id)"));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	@Override
	public @Nullable StoredRequest get(String id) {
		Map<String, AttributeValue> item = this.dynamo
			.getItem((get) -> get.tableName(this.table).key(Map.of("id", s(id))).consistentRead(true))
			.item();
		if (item == null || item.isEmpty()) {
			return null;
		}
		return new StoredRequest(item.get("id").s(), item.get("route").s(), string(item, "owner"),
				item.get("idempotencyKey").s(), item.get("method").s(), item.get("path").s(), string(item, "query"),
				string(item, "contentType"), item.get("body").b().asByteArray(), item.get("fingerprint").s(),
				item.get("group").s(), string(item, "stickyKey"), StoredRequest.Status.valueOf(item.get("status").s()),
				(int) number(item, "attempts"), number(item, "createdAt"), number(item, "updatedAt"),
				(int) number(item, "backendStatus"), number(item, "leaseUntil"));
	}

	@Override
	public boolean claim(String id, long now, long leaseUntil) {
		try {
			this.dynamo.updateItem((update) -> update.tableName(this.table)
				.key(Map.of("id", s(id)))
				.updateExpression("SET #status = :replaying, leaseUntil = :lease, updatedAt = :now")
				.conditionExpression("#status = :pending OR (#status = :replaying AND leaseUntil < :now)")
				.expressionAttributeNames(Map.of("#status", "status"))
				.expressionAttributeValues(Map.of(":replaying", s("REPLAYING"), ":pending", s("PENDING"), ":lease",
						n(leaseUntil), ":now", n(now))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	@Override
	public void finish(String id, StoredRequest.Status status, int backendStatus, int attempts, long now) {
		this.dynamo.updateItem((update) -> update.tableName(this.table)
			.key(Map.of("id", s(id)))
			.updateExpression("SET #status = :status, backendStatus = :backend, attempts = :attempts, "
					+ "updatedAt = :now, leaseUntil = :zero")
			.expressionAttributeNames(Map.of("#status", "status"))
			.expressionAttributeValues(Map.of(":status", s(status.name()), ":backend", n(backendStatus), ":attempts",
					n(attempts), ":now", n(now), ":zero", n(0))));
	}

	@Override
	public void release(String id, int attempts, long now) {
		this.dynamo.updateItem((update) -> update.tableName(this.table)
			.key(Map.of("id", s(id)))
			.updateExpression("SET #status = :pending, attempts = :attempts, updatedAt = :now, leaseUntil = :zero")
			.conditionExpression("#status = :replaying")
			.expressionAttributeNames(Map.of("#status", "status"))
			.expressionAttributeValues(Map.of(":pending", s("PENDING"), ":replaying", s("REPLAYING"), ":attempts",
					n(attempts), ":now", n(now), ":zero", n(0))));
	}

	@Override
	public void delete(String id) {
		this.dynamo.deleteItem((delete) -> delete.tableName(this.table).key(Map.of("id", s(id))));
	}

	@Override
	public @Nullable Long oldestPending() {
		QueryResponse response = this.dynamo.query((query) -> query.tableName(this.table)
			.indexName(BY_STATUS)
			.keyConditionExpression("#status = :pending")
			.expressionAttributeNames(Map.of("#status", "status"))
			.expressionAttributeValues(Map.of(":pending", s("PENDING")))
			.scanIndexForward(true)
			.limit(1));
		List<Map<String, AttributeValue>> items = response.items();
		return items.isEmpty() ? null : number(items.get(0), "createdAt");
	}

}
