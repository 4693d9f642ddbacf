package dev.journey.worker.message;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.journey.worker.db.StoredName;

/**
 * Where a message is: {@code queued} (recorded, not yet handed off), {@code held} (quiet hours),
 * {@code sent}, {@code failed}, {@code capped} (a frequency cap was full), {@code clicked},
 * {@code held_out} (the user is in the project's hold-out group: a marketing message not sent),
 * {@code suppressed} (the user is not subscribed to the message's topic on its channel: not sent).
 * Stored, listed and passed between workflow and activities as the lowercase word.
 */
public enum MessageStatus implements StoredName {
    QUEUED, SENT, FAILED, CLICKED, HELD, CAPPED, HELD_OUT, SUPPRESSED;

    /** {@code [queued, sent, failed, clicked, held, capped, held_out, suppressed]}, as the message log's filter lists them. */
    public static final List<String> VALUES = Arrays.stream(values()).map(MessageStatus::value).toList();

    /** Not handed off yet, and not given up on: admission may still decide. */
    public boolean open() {
        return this == QUEUED || this == HELD;
    }

    /** Handed off: a later failure report does not change it. */
    public boolean handedOff() {
        return this == SENT || this == CLICKED;
    }

    public static Optional<MessageStatus> of(String value) {
        return StoredName.of(MessageStatus.class, value);
    }

    @Override
    public String toString() {
        return value();
    }
}
