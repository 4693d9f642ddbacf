package dev.journey.worker.dsl;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/**
 * A durable pause: for an ISO-8601 {@code duration} ({@code P3D}, {@code PT1H}), or {@code until}
 * the next time of day ({@code "09:00"}) in the user's timezone.
 */
public record WaitStep(String id, String duration, String until, String next) implements Step {
    public Duration asDuration() {
        return Durations.stored(duration);
    }

    public LocalTime untilTime() {
        return LocalTime.parse(until);
    }

    @Override
    public List<String> successors() {
        return Arrays.asList(next);
    }

    @Override
    public boolean waits() {
        return true;
    }
}
