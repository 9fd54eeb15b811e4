package dev.bffgateway.mobile;

import java.util.ArrayList;
import java.util.List;

import dev.bffgateway.core.aggregation.Aggregate;
import dev.bffgateway.core.dashboard.UserDashboard;
import dev.bffgateway.core.downstream.Downstream;
import dev.bffgateway.core.security.Caller;

import org.springframework.stereotype.Component;

/**
 * The mobile home screen: only what it renders ({@link MobilePayload}). The user's display name, avatar and tier;
 * the {@value #ACTIVITY_LIMIT} latest activities (id, type, time); the account's status and balance. Same parts
 * and degradation as web.
 */
@Component
class MobileDashboard extends UserDashboard {

	static final int ACTIVITY_LIMIT = 5;

	MobileDashboard(Downstream downstream) {
		super(downstream, ACTIVITY_LIMIT);
	}

	@Override
	public Class<?> payloadType() {
		return MobilePayload.class;
	}

	@Override
	public MobilePayload payload(Caller caller, Aggregate aggregate, List<String> degraded) {
		List<String> names = new ArrayList<>(degraded);
		MobilePayload.User user = section(aggregate, USER, MobilePayload.User.class, names);
		MobilePayload.ActivityPage page = section(aggregate, ACTIVITY, MobilePayload.ActivityPage.class, names);
		List<MobilePayload.Activity> activity = null;
		if (page != null) {
			// the latest, newest first as the service returns them; a service ignoring limit= does not decide
			List<MobilePayload.Activity> items = (page.items() != null) ? page.items() : List.of();
			activity = items.subList(0, Math.min(items.size(), ACTIVITY_LIMIT));
		}
		MobilePayload.Account account = section(aggregate, ACCOUNT, MobilePayload.Account.class, names);
		return new MobilePayload(user, activity, account, names);
	}

}
