package dev.bffgateway.core.edge;

import java.nio.charset.StandardCharsets;
import java.util.Collections;

import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.cloud.function.serverless.web.ServerlessHttpServletRequest;
import org.springframework.cloud.function.serverless.web.ServerlessServletContext;

import static dev.bffgateway.core.edge.LambdaEventsTest.HTTP_API_EVENT;
import static dev.bffgateway.core.edge.LambdaEventsTest.REST_API_EVENT;
import static dev.bffgateway.core.edge.LambdaEventsTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The servlet request the application sees for a translated event, built as the adapter builds it. */
class ServerlessApplicationTest {

	private final ServerlessServletContext servletContext = new ServerlessServletContext();

	@Test
	void carriesAnHttpApiEventsRawPathParametersCookiesAndBody() throws Exception {
		AwsProxyRequest request = LambdaEvents.toAdapterRequest(event(HTTP_API_EVENT));

		ServerlessHttpServletRequest servletRequest = ServerlessApplication.servletRequest(request, null,
				this.servletContext);

		assertThat(servletRequest.getMethod()).isEqualTo("POST");
		assertThat(servletRequest.getRequestURI()).isEqualTo("/orders/a%2Fb");
		assertThat(servletRequest.getParameterValues("a")).containsExactly("1", "2");
		assertThat(servletRequest.getParameterValues("b")).containsExactly("x y");
		assertThat(servletRequest.getParameterValues("c")).containsExactly("1 2");
		assertThat(servletRequest.getHeader("Cookie")).isEqualTo("session=s1; theme=dark");
		assertThat(Collections.list(servletRequest.getHeaders("accept"))).containsExactly("application/json,text/plain");
		assertThat(servletRequest.getHeader(LambdaRequestFilter.SOURCE_IP_HEADER)).isEqualTo("203.0.113.10");
		assertThat(servletRequest.getContentType()).isEqualTo("text/plain");
		assertThat(servletRequest.getContentAsByteArray()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
		assertThat(servletRequest.getAttribute(RequestReader.API_GATEWAY_EVENT_PROPERTY)).isSameAs(request);
	}

	@Test
	void givesATextBodyWithoutAContentTypeTheAdaptersJsonDefault() throws Exception {
		ObjectNode event = event(REST_API_EVENT).put("httpMethod", "POST").put("body", "{\"id\":1}");
		((ObjectNode) event.get("multiValueHeaders")).remove("Content-Type");
		AwsProxyRequest request = LambdaEvents.toAdapterRequest(event);

		ServerlessHttpServletRequest servletRequest = ServerlessApplication.servletRequest(request, null,
				this.servletContext);

		assertThat(servletRequest.getContentType()).isEqualTo("application/json");
		assertThat(servletRequest.getContentAsByteArray()).asString(StandardCharsets.UTF_8).isEqualTo("{\"id\":1}");
		assertThat(Collections.list(servletRequest.getHeaders("accept"))).containsExactly("application/json",
				"text/plain");
	}

	@Test
	void hasNoBodyForAnEmptyOne() throws Exception {
		AwsProxyRequest request = LambdaEvents.toAdapterRequest(event(REST_API_EVENT).put("body", ""));

		ServerlessHttpServletRequest servletRequest = ServerlessApplication.servletRequest(request, null,
				this.servletContext);

		assertThat(servletRequest.getContentLength()).isEqualTo(-1);
		assertThat(servletRequest.getParameterValues("a")).containsExactly("1", "2");
	}

}
