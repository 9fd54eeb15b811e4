package dev.bffgateway.core.circuit;

import java.util.Map;

/** Where the operator's overrides come from (SSM Parameter Store). */
interface OverrideSource {

	/**
	 * @return each circuit the operator has a word on, with that word; a circuit absent is {@link CircuitOverride#AUTO}
	 * @throws RuntimeException when the source cannot be read: the last overrides read stand
	 */
	Map<String, CircuitOverride> read();

}
