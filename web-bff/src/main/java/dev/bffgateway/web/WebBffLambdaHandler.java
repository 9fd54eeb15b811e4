package dev.bffgateway.web;

import dev.bffgateway.core.edge.LambdaEdgeHandler;

/** The web BFF's Lambda handler: {@code dev.bffgateway.web.WebBffLambdaHandler::handleRequest}. */
public class WebBffLambdaHandler extends LambdaEdgeHandler {

	public WebBffLambdaHandler() {
		super(WebBffApplication.class);
	}

}
