package dev.journey.worker.message;

/**
 * What the delivery policy decided for a message at a moment of the journey's clock:
 * {@code queued} (hand it off now), {@code held} (quiet hours: ask again at {@code holdUntilMillis}),
 * or a final status ({@code capped}, {@code failed}, or {@code sent} when an earlier run already did).
 */
public record Admission(String status, long holdUntilMillis) {
    public static final String QUEUED = "queued";
    public static final String HELD = "held";
    public static final String CAPPED = "capped";

    public boolean queued() {
        return QUEUED.equals(status);
    }

    public boolean held() {
        return HELD.equals(status);
    }
}
