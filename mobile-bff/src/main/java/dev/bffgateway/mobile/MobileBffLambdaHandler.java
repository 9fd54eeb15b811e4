package dev.bffgateway.mobile;

import dev.bffgateway.core.edge.LambdaEdgeHandler;

/** The mobile BFF's Lambda handler: {@code dev.bffgateway.mobile.MobileBffLambdaHandler::handleRequest}. */
public class MobileBffLambdaHandler extends LambdaEdgeHandler {

	public MobileBffLambdaHandler() {
		super(MobileBffApplication.class);
	}

}
