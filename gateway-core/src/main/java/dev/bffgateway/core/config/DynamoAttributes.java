package dev.bffgateway.core.config;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing the plain attributes gateway-core's DynamoDB items hold: strings and whole numbers. */
public final class DynamoAttributes {

	private DynamoAttributes() {
	}

	/** @return a string attribute */
	public static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	/** @return a number attribute */
	public static AttributeValue n(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

	/** @return an item's string attribute, or {@code null} when it has none */
	public static @Nullable String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null) ? value.s() : null;
	}

	/** @return an item's number attribute, or 0 when it has none */
	public static long number(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null && value.n() != null) ? Long.parseLong(value.n()) : 0;
	}

}
