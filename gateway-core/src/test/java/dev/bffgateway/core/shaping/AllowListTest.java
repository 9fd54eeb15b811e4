package dev.bffgateway.core.shaping;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AllowListTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	@Test
	void keepsOnlyListedFieldsNestedAndInArrays() {
		AllowList allow = AllowList.of("name", "balance.amount", "items[].id", "items[].type", "tier");

		JsonNode shaped = allow.apply(json("""
				{"name":"Ada","email":"ada@example.com","tier":"gold",
				 "balance":{"amount":"12.00","currency":"EUR","iban":"DE89"},
				 "items":[{"id":"a1","type":"login","ip":"203.0.113.9"},{"id":"a2","type":"payment"}]}"""));

		assertThat(shaped).isEqualTo(json("""
				{"name":"Ada","balance":{"amount":"12.00"},"items":[{"id":"a1","type":"login"},{"id":"a2","type":"payment"}],
				 "tier":"gold"}"""));
	}

	@Test
	void failsClosedOnFieldsADependencyAddsLater() {
		AllowList allow = AllowList.of("id", "status");

		JsonNode shaped = allow.apply(json("{\"id\":\"42\",\"status\":\"active\",\"ssn\":\"123-45-6789\"}"));

		assertThat(shaped.has("ssn")).isFalse();
		assertThat(shaped).isEqualTo(json("{\"id\":\"42\",\"status\":\"active\"}"));
	}

	@Test
	void aListedObjectIsCopiedWholeButAShapeMismatchIsDropped() {
		AllowList allow = AllowList.of("balance", "profile.name", "tags[].label");

		JsonNode shaped = allow.apply(json("""
				{"balance":{"amount":"1","currency":"EUR"},"profile":"not an object","tags":{"label":"x"}}"""));

		assertThat(shaped).isEqualTo(json("{\"balance\":{\"amount\":\"1\",\"currency\":\"EUR\"}}"));
	}

	@Test
	void aListedFieldTheSourceLacksStaysAbsent() {
		AllowList allow = AllowList.of("name", "balance", "profile.name", "items[].id");

		JsonNode shaped = allow.apply(json("{\"name\":\"Ada\",\"profile\":{}}"));

		assertThat(shaped).isEqualTo(json("{\"name\":\"Ada\",\"profile\":{}}"));
	}

	@Test
	void arrayElementsOfTheWrongShapeAreDroppedNotNulled() {
		AllowList allow = AllowList.of("items[].id");

		JsonNode shaped = allow.apply(json("{\"items\":[{\"id\":\"a1\",\"ip\":\"203.0.113.9\"},\"a2\",7,{\"ip\":\"x\"}]}"));

		assertThat(shaped).isEqualTo(json("{\"items\":[{\"id\":\"a1\"},{}]}"));
	}

	@Test
	void aSourceThatIsNotAnObjectShapesToAnEmptyObject() {
		AllowList allow = AllowList.of("name");

		assertThat(allow.apply(json("[{\"name\":\"Ada\"}]"))).isEqualTo(json("{}"));
		assertThat(allow.apply(json("\"Ada\""))).isEqualTo(json("{}"));
	}

	@Test
	void keepsThePathsAsGivenFromEitherFactory() {
		assertThat(AllowList.of(List.of("name", "items[].id")).paths()).containsExactly("name", "items[].id");
		assertThat(AllowList.of("balance.amount").paths()).containsExactly("balance.amount");
	}

	@Test
	void malformedPathsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> AllowList.of("a..b"))
			.withMessage("allow-list path must not have empty segments, but was 'a..b'");
	}

}
