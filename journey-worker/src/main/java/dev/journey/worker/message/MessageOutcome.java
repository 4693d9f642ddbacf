package dev.journey.worker.message;

/** How a hand-off ended: {@code sent} or {@code failed} (with the reason). */
public record MessageOutcome(String messageId, String status, String error) {
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
}
