package dev.journey.worker.dsl;

import java.time.Duration;

/** A durable pause of an ISO-8601 {@code duration} (e.g. {@code P3D}, {@code PT1H}). */
public record WaitStep(String id, String duration, String next) implements Step {
    public Duration asDuration() {
        return Durations.parse(duration);
    }
}
