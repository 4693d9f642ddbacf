package dev.journey.worker.dsl;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Waits up to {@code timeout} for the subject's next {@code event} matching {@code where}; goes to
 * {@code onEvent} when it comes, to {@code onTimeout} when it does not. Events that arrived since the
 * instance entered (or since the previous wait for an event) count, so an event that races ahead of
 * the step is not missed.
 */
public record WaitForEventStep(String id, String event, Condition where, String timeout, String onEvent,
                               String onTimeout) implements Step {
    public Duration timeoutDuration() {
        return Durations.stored(timeout);
    }

    @Override
    public List<String> successors() {
        return Arrays.asList(onEvent, onTimeout);
    }

    @Override
    public boolean waits() {
        return true;
    }
}
