package dev.journey.worker.retention;

import java.time.Duration;
import java.util.Map;

/**
 * The engine's side of retention (the {@code journey.retention.*} settings): each kind's window for
 * projects that set none, the longest window a project may set, how long a client's eventId is
 * recognised, how many months are created ahead and how many rows one batch removes.
 */
public record RetentionConfig(Map<Retained, Duration> defaults, Duration longest, Duration dedupWindow, int monthsAhead,
                              int batch) {
    /**
     * Events: 400 days hold a year and a month, so "bought in the same month last year" and yearly
     * journeys still find their events. Messages: 180 days (at least the 90 days a frequency cap may
     * count) for support and timelines. Finished instances: 180 days after their end. Keys: 30 days
     * outlast any SDK's offline queue and retries.
     */
    public static final RetentionConfig DEFAULT = new RetentionConfig(
            Map.of(Retained.EVENTS, Duration.ofDays(400), Retained.MESSAGES, Duration.ofDays(180),
                    Retained.INSTANCES, Duration.ofDays(180)),
            Duration.ofDays(1095), Duration.ofDays(30), 2, 1000);

    public RetentionConfig {
        defaults = Map.copyOf(defaults);
        for (Retained kind : Retained.values()) {
            if (!defaults.containsKey(kind)) {
                throw new IllegalArgumentException("journey.retention." + kind.field() + " is not set");
            }
        }
        if (monthsAhead < 1 || batch < 1) {
            throw new IllegalArgumentException("journey.retention.months-ahead and .batch must be at least 1");
        }
    }

    public Duration defaultOf(Retained kind) {
        return defaults.get(kind);
    }
}
