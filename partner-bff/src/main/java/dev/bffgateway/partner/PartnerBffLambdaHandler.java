package dev.bffgateway.partner;

import dev.bffgateway.core.edge.LambdaEdgeHandler;

/** The partner BFF's Lambda handler: {@code dev.bffgateway.partner.PartnerBffLambdaHandler::handleRequest}. */
public class PartnerBffLambdaHandler extends LambdaEdgeHandler {

	public PartnerBffLambdaHandler() {
		super(PartnerBffApplication.class);
	}

}
