package dev.bffgateway.core.proxy;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query a backend receives is the one the client sent, byte for byte, not one rebuilt from parameters. */
class FaithfulProxyExchangeTest {

	private static final URI REBUILT = URI.create("http://legacy.internal:8080/api/a%20b?b=x&a=1&a=2&t=~");

	@Test
	void theQueryAsReceivedReplacesTheRebuiltOne() {
		assertThat(FaithfulProxyExchange.withQueryAsReceived(REBUILT, "a=1&b=x&a=2&t=%7e&=c&&flag"))
			.hasToString("http://legacy.internal:8080/api/a%20b?a=1&b=x&a=2&t=%7e&=c&&flag");
	}

	@Test
	void anEmptyQueryStaysEmpty() {
		assertThat(FaithfulProxyExchange.withQueryAsReceived(REBUILT, ""))
			.hasToString("http://legacy.internal:8080/api/a%20b?");
	}

	@Test
	void withoutAReceivedQueryTheRebuiltOneStands() {
		// the Lambda adapter keeps only the parsed parameters
		assertThat(FaithfulProxyExchange.withQueryAsReceived(REBUILT, null)).isSameAs(REBUILT);
	}

	@Test
	void aQueryThatIsNotAUriQueryIsRefused() {
		assertThatThrownBy(() -> FaithfulProxyExchange.withQueryAsReceived(REBUILT, "a=%zz|"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("The query is not a valid URI query");
	}

}
