package dev.journey.api.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.observe.MicrometerWorkerMetrics;
import dev.journey.worker.observe.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The engine's counters at {@code /q/metrics} (Prometheus names in {@code src/docs/operations.md}): events
 * ingested and rejected per project, journey instances entered and ended per journey, messages by channel and
 * status, the hand-off latency, render errors. The dispatch series are {@code DispatchMetrics}'; the Temporal
 * SDK's are reported by {@code TemporalRuntime}.
 *
 * <p>The worker's activities report through {@link WorkerMetrics}: the in-process worker into this registry
 * ({@link #worker()}), a standalone worker into its own {@code /metrics} (journey-worker's {@code MetricsEndpoint}).
 * Labels are bounded: a project (only ones a key authenticated), a journey (at most 1,000 per project), a
 * channel type, a status — never a user, instance or message id.
 */
@ApplicationScoped
public class EngineMetrics {
    private final MeterRegistry registry;
    private final MicrometerWorkerMetrics worker;
    /** Micrometer looks meters up by name and tags anyway; caching the hot ones spares the track path that lookup. */
    private final Map<String, Counter> ingested = new ConcurrentHashMap<>();
    private final Counter workflowsDropped;

    @Inject
    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.worker = new MicrometerWorkerMetrics(registry);
        this.workflowsDropped = Counter.builder("journey.temporal.workflows.dropped")
                .description("closed workflows dropped from the in-process Temporal service's memory").register(registry);
    }

    /** Closed workflows the in-process Temporal service no longer holds. */
    public void workflowsDropped(int count) {
        workflowsDropped.increment(count);
    }

    /** Events a track request stored (duplicates of an earlier eventId are counted apart). */
    public void ingested(String projectId, int accepted, int duplicates) {
        ingested.computeIfAbsent(projectId, p -> Counter.builder("journey.events.ingested")
                .description("events stored by the track API").tag("project", p).register(registry)).increment(accepted);
        if (duplicates > 0) {
            Counter.builder("journey.events.duplicates").description("events not stored again: their eventId was stored before")
                    .tag("project", projectId).register(registry).increment(duplicates);
        }
    }

    /** Events a track request refused (nothing of a refused request is stored); reason: invalid, too_large. */
    public void rejected(String projectId, String reason, int events) {
        Counter.builder("journey.events.rejected").description("events refused by the track API (the whole request is refused)")
                .tags("project", projectId, "reason", reason).register(registry).increment(events);
    }

    /** A journey instance's workflow was started by the dispatcher. */
    public void entered(String journeyId) {
        Counter.builder("journey.instances.entered").description("journey instances started").tag("journey", journeyId)
                .register(registry).increment();
    }

    /** An instance ended outside its workflow (a repair at recovery, a start that failed for good), once its end was recorded. */
    public void endedOutsideItsWorkflow(String workflowId, InstanceStatus status) {
        worker.instanceEnded(JourneyIds.journeyOf(workflowId), status.value());
    }

    /** The worker's series, in the same registry: what the in-process worker reports through. */
    public WorkerMetrics worker() {
        return worker;
    }
}
