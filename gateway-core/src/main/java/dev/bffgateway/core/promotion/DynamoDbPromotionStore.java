package dev.bffgateway.core.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.bffgateway.core.config.DynamoAttributes.n;
import static dev.bffgateway.core.config.DynamoAttributes.number;

/**
 * Promotions in the shared circuits table (no table of their own): partition {@code <namespace>#promotion}, sort key
 * the route's id; attributes {@code step}, {@code weight}, {@code windowStart}, the interval's counters
 * ({@code requests}, {@code errors}, {@code comparisons}, {@code mismatches}, added to atomically by every instance),
 * {@code holdUntil}, {@code pinned}, {@code version} and {@code history} (JSON, the latest decisions). No TTL: a
 * promoted weight must outlive any restart.
 */
final class DynamoDbPromotionStore implements PromotionStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DynamoDbClient dynamo;

	private final String table;

	private final String partition;

	DynamoDbPromotionStore(DynamoDbClient dynamo, String table, String namespace) {
		this.dynamo = dynamo;
		this.table = table;
		this.partition = namespace + "#promotion";
	}

	private Map<String, AttributeValue> key(String route) {
		return Map.of("namespace", AttributeValue.fromS(this.partition), "circuit", AttributeValue.fromS(route));
	}

	@Override
	public @Nullable PromotionState read(String route) {
		Map<String, AttributeValue> item = this.dynamo
			.getItem((get) -> get.tableName(this.table).key(key(route)).consistentRead(true))
			.item();
		if (item == null || item.isEmpty()) {
			return null;
		}
		return new PromotionState((int) number(item, "step"), (int) number(item, "weight"), number(item, "windowStart"),
				number(item, "requests"), number(item, "errors"), number(item, "comparisons"), number(item, "mismatches"),
				number(item, "holdUntil"), item.containsKey("pinned") && Boolean.TRUE.equals(item.get("pinned").bool()),
				number(item, "version"), history(item.get("history")));
	}

	@Override
	public boolean create(String route, PromotionState state) {
		try {
			this.dynamo.putItem((put) -> put.tableName(this.table)
				.item(item(route, state))
				.conditionExpression("attribute_not_exists(circuit)"));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	@Override
	public boolean add(String route, long windowStart, long requests, long errors, long comparisons, long mismatches) {
		try {
			this.dynamo.updateItem((update) -> update.tableName(this.table)
				.key(key(route))
				.updateExpression("ADD requests :r, errors :e, comparisons :c, mismatches :m")
				.conditionExpression("windowStart = :w")
				.expressionAttributeValues(Map.of(":r", n(requests), ":e", n(errors), ":c", n(comparisons), ":m",
						n(mismatches), ":w", n(windowStart))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	@Override
	public boolean replace(String route, long version, PromotionState state) {
		try {
			this.dynamo.putItem((put) -> put.tableName(this.table)
				.item(item(route, state))
				.conditionExpression("version = :v")
				.expressionAttributeValues(Map.of(":v", n(version))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	@Override
	public boolean shared() {
		return true;
	}

	private Map<String, AttributeValue> item(String route, PromotionState state) {
		Map<String, AttributeValue> item = new HashMap<>(key(route));
		item.put("step", n(state.step()));
		item.put("weight", n(state.weight()));
		item.put("windowStart", n(state.windowStart()));
		item.put("requests", n(state.requests()));
		item.put("errors", n(state.errors()));
		item.put("comparisons", n(state.comparisons()));
		item.put("mismatches", n(state.mismatches()));
		item.put("holdUntil", n(state.holdUntil()));
		item.put("pinned", AttributeValue.fromBool(state.pinned()));
		item.put("version", n(state.version()));
		List<Map<String, Object>> history = new ArrayList<>();
		for (Decision d : state.history()) {
			Map<String, Object> entry = new HashMap<>();
			entry.put("at", d.at().toEpochMilli());
			entry.put("kind", d.kind());
			entry.put("from", d.from());
			entry.put("to", d.to());
			entry.put("requests", d.requests());
			entry.put("errors", d.errors());
			entry.put("comparisons", d.comparisons());
			entry.put("mismatches", d.mismatches());
			entry.put("by", d.by());
			history.add(entry);
		}
		item.put("history", AttributeValue.fromS(JSON.writeValueAsString(history)));
		return item;
	}

	private static List<Decision> history(@Nullable AttributeValue value) {
		List<Decision> decisions = new ArrayList<>();
		if (value == null || value.s() == null) {
			return decisions;
		}
		for (JsonNode d : JSON.readTree(value.s())) {
			decisions.add(new Decision(Instant.ofEpochMilli(d.path("at").asLong()), d.path("kind").asString(),
					d.path("from").asInt(), d.path("to").asInt(), d.path("requests").asLong(), d.path("errors").asLong(),
					d.path("comparisons").asLong(), d.path("mismatches").asLong(), d.path("by").asString()));
		}
		return decisions;
	}

}
