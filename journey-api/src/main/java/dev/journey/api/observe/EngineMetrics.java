package dev.journey.api.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.worker.observe.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's counters at {@code /q/metrics} (Prometheus names in {@code src/docs/operations.md}): events
 * ingested and rejected per project, journey instances entered and ended per journey, messages by channel and
 * status, the hand-off latency, render errors. The dispatch series are {@code DispatchMetrics}'; the Temporal
 * SDK's are reported by {@code TemporalRuntime}.
 *
 * <p>The worker's activities report through {@link WorkerMetrics} (journey-worker does not depend on
 * Micrometer), so these series cover the in-process worker; a standalone worker reports nothing here.
 * Labels are bounded: a project (only ones a key authenticated), a journey (at most 1,000 per project), a
 * channel type, a status — never a user, instance or message id.
 */
@ApplicationScoped
public class EngineMetrics implements WorkerMetrics {
    /** From an in-app message (milliseconds) to a slow SMTP server or a message held by retries (minutes). */
    private static final Duration[] HANDOFF_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)};

    private final MeterRegistry registry;
    /** Micrometer looks meters up by name and tags anyway; caching the hot ones spares the track path that lookup. */
    private final Map<String, Counter> ingested = new ConcurrentHashMap<>();

    @Inject
    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    @Override
    public void instanceEnded(String journeyId, String status) {
        Counter.builder("journey.instances.ended").description("journey instances ended, by how")
                .tags(Tags.of("journey", journeyId == null ? "unknown" : journeyId, "status", status)).register(registry).increment();
    }

    @Override
    public void messageFinished(String channel, String status) {
        Counter.builder("journey.messages").description("messages that reached a final status")
                .tags("channel", channel, "status", status).register(registry).increment();
    }

    @Override
    public void handedOff(String channel, Duration queuedToSent) {
        Timer.builder("journey.messages.handoff").description("time from a message recorded queued to its provider accepting it")
                .tag("channel", channel).serviceLevelObjectives(HANDOFF_BUCKETS).register(registry).record(queuedToSent);
    }

    @Override
    public void renderFailed(String channel) {
        Counter.builder("journey.templates.render.errors").description("messages whose template did not render (recorded failed)")
                .tag("channel", channel).register(registry).increment();
    }
}
