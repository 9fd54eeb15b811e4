package dev.bffgateway.core.aggregation;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The executor fan-outs run their parts on: one virtual thread per part, carrying the caller's context
 * (the current observation, hence the trace id in logs and the {@code traceparent} sent downstream).
 */
@AutoConfiguration
public final class AggregationAutoConfiguration {

	/** Bean name of the fan-out executor. */
	public static final String FAN_OUT_EXECUTOR = "gatewayFanOutExecutor";

	@Bean(name = FAN_OUT_EXECUTOR, destroyMethod = "shutdownNow")
	@ConditionalOnMissingBean(name = FAN_OUT_EXECUTOR)
	ExecutorService gatewayFanOutExecutor() {
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
		ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(
				Thread.ofVirtual().name("fan-out-", 0).factory());
		return ContextExecutorService.wrap(virtualThreads, snapshots::captureAll);
	}

}
