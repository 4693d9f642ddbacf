package dev.journey.worker.dsl;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A journey's own limits, as FlareLane's and Braze's rate limiting: at most {@code entries.max}
 * entries per {@code entries.per} (more are refused, and the user's "why not" says so), and at most
 * {@code messagesPerMinute} messages handed off per minute (more wait for their turn: delayed,
 * never dropped).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(Entries entries, Integer messagesPerMinute) {
    /** At most {@code max} entries per {@code per} (ISO-8601), in windows aligned to the epoch (a day is a UTC day). */
    public record Entries(int max, String per) {
        public Duration perDuration() {
            return Durations.stored(per);
        }
    }
}
