package dev.journey.api.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The two ways a time may be sent: an ISO-8601 string with an offset
 * ({@code 2024-04-19T14:23:56+09:00}) or Unix milliseconds ({@code 1681721331085}). A number below
 * 10^11 is refused rather than guessed at: as milliseconds it would be 1973, so it is almost
 * surely seconds.
 */
public final class EventTimes {
    static final long MIN_MILLIS = 100_000_000_000L;
    static final long MAX_MILLIS = 100_000_000_000_000L;

    private EventTimes() {}

    /** @throws IllegalArgumentException saying what a valid time looks like */
    public static Instant parse(JsonNode node) {
        if (node.isTextual()) {
            return parse(node.asText());
        }
        if (node.isIntegralNumber()) {
            long millis = node.asLong();
            if (millis < MIN_MILLIS || millis >= MAX_MILLIS) {
                throw new IllegalArgumentException("Unix time must be in milliseconds (e.g. 1681721331085); " + node + " is out of range");
            }
            return Instant.ofEpochMilli(millis);
        }
        throw new IllegalArgumentException("must be an ISO-8601 time with offset or Unix milliseconds");
    }

    public static Instant parse(String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            if (text.chars().allMatch(Character::isDigit) && !text.isEmpty() && text.length() < 19) {
                long millis = Long.parseLong(text);
                if (millis >= MIN_MILLIS && millis < MAX_MILLIS) {
                    return Instant.ofEpochMilli(millis);
                }
            }
            throw new IllegalArgumentException("\"" + text + "\" is not an ISO-8601 time with offset (e.g. 2024-04-19T14:23:56+09:00) or Unix milliseconds");
        }
        // Beyond PostgreSQL's timestamp range (year 294276) a whole batch would fail with a 500.
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)) {
            throw new IllegalArgumentException("\"" + text + "\" is out of range: times from 1970 to 9999 are accepted");
        }
        return instant;
    }

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
}
