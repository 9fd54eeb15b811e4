package dev.bffgateway.core.aggregation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class PartTest {

	@Test
	void theFactoriesSayWhetherThePartIsRequired() {
		assertThat(Part.required("user", () -> "ada").required()).isTrue();
		assertThat(Part.optional("offers", () -> "none").required()).isFalse();
	}

	@Test
	void aPartNeedsANonBlankNameAndAFetch() {
		// the name is what degraded, logs and metrics show: a blank one would name nothing
		assertThatIllegalArgumentException().isThrownBy(() -> Part.optional(" ", () -> 1))
			.withMessage("part name must not be blank");
		assertThatNullPointerException().isThrownBy(() -> Part.optional("user", null)).withMessage("fetch");
	}

}
