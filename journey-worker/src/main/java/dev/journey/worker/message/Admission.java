package dev.journey.worker.message;

/**
 * What the delivery policy decided for a message at a moment of the journey's clock:
 * {@code queued} (hand it off now), {@code held} (quiet hours: ask again at {@code holdUntilMillis}),
 * or a final status ({@code capped}, {@code failed}, or {@code sent} when an earlier run already did).
 * Recorded in workflow histories as {@code {"status": "queued", "holdUntilMillis": 0}}.
 * {@code paced}: held for the journey's send rate, not for quiet hours — it waits its turn however
 * many times that takes (absent, so false, in histories written before rates existed).
 */
public record Admission(MessageStatus status, long holdUntilMillis, boolean paced) {
    public Admission(MessageStatus status, long holdUntilMillis) {
        this(status, holdUntilMillis, false);
    }

    public static final MessageStatus QUEUED = MessageStatus.QUEUED;
    public static final MessageStatus HELD = MessageStatus.HELD;
    public static final MessageStatus CAPPED = MessageStatus.CAPPED;

    public boolean queued() {
        return status == MessageStatus.QUEUED;
    }

    public boolean held() {
        return status == MessageStatus.HELD;
    }
}
