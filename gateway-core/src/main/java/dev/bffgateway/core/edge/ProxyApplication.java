package dev.bffgateway.core.edge;

import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.services.lambda.runtime.Context;
import org.jspecify.annotations.Nullable;

/**
 * What {@link LambdaEdgeHandler} hands a translated event to: the BFF's MVC application
 * ({@link ServerlessApplication}), or a stand-in in tests.
 */
@FunctionalInterface
interface ProxyApplication {

	/**
	 * @param request the event as a REST API proxy (v1) request, as {@link LambdaEvents} translated it
	 * @param context the Lambda context, if the runtime passed one
	 * @return the application's answer
	 * @throws Exception if the application fails
	 */
	AwsProxyResponse serve(AwsProxyRequest request, @Nullable Context context) throws Exception;

}
