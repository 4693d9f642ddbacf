package dev.journey.worker.message;

/** How a hand-off ended: {@code sent} or {@code failed} (with the reason), or the status an earlier run left. */
public record MessageOutcome(String messageId, MessageStatus status, String error) {
    public static final MessageStatus SENT = MessageStatus.SENT;
    public static final MessageStatus FAILED = MessageStatus.FAILED;
}
