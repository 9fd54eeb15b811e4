package dev.bffgateway.core.edge;

import org.springframework.context.annotation.Configuration;

/**
 * Passed by {@link LambdaEdgeHandler} as a second startup class beside the BFF's application: its presence
 * tells gateway-core's environment post-processor that this application runs on the Lambda edge, so the
 * {@code lambda} profile and {@code META-INF/gateway-lambda.properties} apply before anything is created.
 */
@Configuration(proxyBeanMethods = false)
public class LambdaEdgeConfiguration {

}
