package dev.bffgateway.core.edge;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.AsyncInitializationWrapper;
import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.internal.HttpUtils;
import com.amazonaws.serverless.proxy.internal.servlet.AwsHttpServletResponse;
import com.amazonaws.serverless.proxy.internal.servlet.AwsProxyHttpServletResponseWriter;
import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import com.amazonaws.services.lambda.runtime.Context;
import dev.bffgateway.core.config.LambdaProfile;
import jakarta.servlet.ServletContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.cloud.function.serverless.web.ServerlessHttpServletRequest;
import org.springframework.cloud.function.serverless.web.ServerlessMVC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMapAdapter;
import org.springframework.util.StringUtils;

/**
 * The BFF's MVC application on the Lambda edge, served as {@code SpringDelegatingLambdaContainerHandler} serves it
 * (Spring Cloud Function's {@link ServerlessMVC}, the adapter's servlet response and response writer, its
 * asynchronous start), but typed end to end: a proxy request object in, a proxy response object out, nothing
 * written as JSON and read back in between.
 */
final class ServerlessApplication implements ProxyApplication {

	private static final Logger logger = LoggerFactory.getLogger(ServerlessApplication.class);

	/** As the adapter: the longest a Lambda function runs. */
	private static final long MAX_REQUEST_MINUTES = 15;

	private final AsyncInitializationWrapper initialization = new AsyncInitializationWrapper();

	private final AwsProxyHttpServletResponseWriter writer = new AwsProxyHttpServletResponseWriter();

	private volatile @Nullable ServerlessMVC mvc;

	private volatile @Nullable RuntimeException failure;

	/**
	 * Starts the application with the {@code lambda} profile. As with the adapter, an on-demand function's init
	 * phase waits for the start only until Lambda's 10-second init limit is near, and the first request waits for
	 * the rest; SnapStart and provisioned concurrency wait for the whole start here.
	 * @param application the BFF's {@code @SpringBootApplication} class
	 * @throws IllegalStateException if the start cannot be waited for
	 */
	ServerlessApplication(Class<?> application) {
		try {
			this.initialization.start(() -> initialize(application));
		}
		catch (ContainerInitializationException ex) {
			throw new IllegalStateException("Could not start " + application.getName() + " on the Lambda edge", ex);
		}
	}

	private void initialize(Class<?> application) {
		try {
			SpringApplication spring = new SpringApplication(application);
			// Boot deduces the main class from a main frame on the stack, which is the Lambda runtime's (or none);
			// with spring.aot.enabled=true it finds the code generated at build time by the main class's name
			spring.setMainApplicationClass(application);
			spring.setAdditionalProfiles(LambdaProfile.NAME);
			this.mvc = ServerlessMVC.INSTANCE((ServletWebServerApplicationContext) spring.run());
		}
		catch (RuntimeException ex) {
			// every request is then answered 500, and SnapStart priming refuses the snapshot
			this.failure = ex;
			logger.error("{} did not start on the Lambda edge", application.getName(), ex);
		}
	}

	@Override
	public AwsProxyResponse serve(AwsProxyRequest request, @Nullable Context context) throws Exception {
		ServerlessMVC mvc = started();
		ServerlessHttpServletRequest servletRequest = servletRequest(request, context, mvc.getServletContext());
		CountDownLatch written = new CountDownLatch(1);
		AwsHttpServletResponse response = new AwsHttpServletResponse(servletRequest, written);
		mvc.service(servletRequest, response);
		if (!written.await(MAX_REQUEST_MINUTES, TimeUnit.MINUTES)) {
			logger.warn("A response was not complete after {} minutes", MAX_REQUEST_MINUTES);
		}
		return this.writer.writeResponse(response, context);
	}

	private ServerlessMVC started() throws InterruptedException {
		CountDownLatch started = this.initialization.getInitializationLatch();
		if (started != null) {
			started.await();
		}
		ServerlessMVC mvc = this.mvc;
		if (mvc == null) {
			throw new IllegalStateException("The application did not start", this.failure);
		}
		return mvc;
	}

	/**
	 * The servlet request for a proxy request, as the adapter builds it from a REST API (v1) event: the query
	 * parameters from {@code multiValueQueryStringParameters}, the headers from {@code multiValueHeaders}, a body
	 * (a JSON one unless a content type says otherwise) only when it is not empty, the event and the Lambda context
	 * as attributes.
	 */
	static ServerlessHttpServletRequest servletRequest(AwsProxyRequest request, @Nullable Context context,
			ServletContext servletContext) {
		ServerlessHttpServletRequest servletRequest = new ServerlessHttpServletRequest(servletContext,
				request.getHttpMethod(), request.getPath());
		if (request.getMultiValueQueryStringParameters() != null) {
			request.getMultiValueQueryStringParameters()
				.forEach((name, values) -> servletRequest.setParameter(name, values.toArray(String[]::new)));
		}
		Headers headers = request.getMultiValueHeaders();
		String contentType = null;
		if (headers != null) {
			servletRequest.setHeaders(new MultiValueMapAdapter<>(headers));
			contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		}
		String body = request.getBody();
		if (StringUtils.hasText(body)) {
			servletRequest.setContentType((contentType != null) ? contentType : MediaType.APPLICATION_JSON_VALUE);
			servletRequest.setContent(request.isBase64Encoded() ? Base64.getDecoder().decode(body)
					: body.getBytes(HttpUtils.parseCharacterEncoding(contentType, StandardCharsets.UTF_8)));
		}
		servletRequest.setAttribute(RequestReader.API_GATEWAY_CONTEXT_PROPERTY, request.getRequestContext());
		servletRequest.setAttribute(RequestReader.API_GATEWAY_STAGE_VARS_PROPERTY, request.getStageVariables());
		servletRequest.setAttribute(RequestReader.API_GATEWAY_EVENT_PROPERTY, request);
		servletRequest.setAttribute(RequestReader.LAMBDA_CONTEXT_PROPERTY, context);
		return servletRequest;
	}

}
