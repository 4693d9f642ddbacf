package dev.journey.worker.dsl;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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

    /** When the wait that begins at {@code from} ends: after the duration, or at the next {@code until} in {@code zone}. */
    public Instant endsAt(Instant from, ZoneId zone) {
        if (duration != null) {
            return from.plus(asDuration());
        }
        ZonedDateTime now = from.atZone(zone);
        ZonedDateTime next = now.with(untilTime());
        return (next.isAfter(now) ? next : next.plusDays(1)).toInstant();
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
