package dev.bffgateway.web;

import java.util.ArrayList;
import java.util.List;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.dashboard.UserDashboard;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.security.Caller;

import org.springframework.stereotype.Component;

/**
 * The web dashboard: the user (required), their 20 latest activities and their account, each section carrying
 * what the web client renders ({@link WebPayload}): the fields it declares, at most 20 activities in the
 * service's order.
 */
@Component
class WebDashboard extends UserDashboard {

	static final int ACTIVITY_LIMIT = 20;

	WebDashboard(Downstream downstream) {
		super(downstream, ACTIVITY_LIMIT);
	}

	@Override
	public Class<?> payloadType() {
		return WebPayload.class;
	}

	@Override
	public WebPayload payload(Caller caller, Aggregate aggregate, List<String> degraded) {
		List<String> names = new ArrayList<>(degraded);
		WebPayload.User user = section(aggregate, USER, WebPayload.User.class, names);
		WebPayload.Activity activity = section(aggregate, ACTIVITY, WebPayload.Activity.class, names);
		if (activity != null && activity.items() != null && activity.items().size() > ACTIVITY_LIMIT) {
			// a service that ignores limit= does not decide how much the web client gets
			activity = new WebPayload.Activity(activity.userId(), activity.items().subList(0, ACTIVITY_LIMIT));
		}
		WebPayload.Account account = section(aggregate, ACCOUNT, WebPayload.Account.class, names);
		return new WebPayload(user, activity, account, names);
	}

}
