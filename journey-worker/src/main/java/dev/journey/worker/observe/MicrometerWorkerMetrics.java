package dev.journey.worker.observe;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * {@link WorkerMetrics} as Micrometer meters: the API process registers them in its {@code /q/metrics}
 * registry, a standalone worker in the registry of its own {@link MetricsEndpoint}, so both report the
 * same series (names and labels in {@code src/docs/operations.md}).
 */
public final class MicrometerWorkerMetrics implements WorkerMetrics {
    /** From an in-app message (milliseconds) to a slow SMTP server or a message held by retries (minutes). */
    private static final Duration[] HANDOFF_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)};

    private final MeterRegistry registry;

    public MicrometerWorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    @Override
    public void translationMissing(String channel) {
        Counter.builder("journey.templates.translation.missing")
                .description("messages rendered in the template's default because no translation served the user's locale")
                .tag("channel", channel).register(registry).increment();
    }
}
