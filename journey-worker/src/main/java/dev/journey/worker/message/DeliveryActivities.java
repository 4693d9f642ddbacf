package dev.journey.worker.message;

import io.temporal.activity.ActivityInterface;

/**
 * The delivery policy, decided where I/O is allowed and applied by the workflow: the workflow passes
 * its own clock in (so a held message wakes on a durable timer, and time-skipped tests agree with
 * real days), and sleeps on a hold itself.
 */
@ActivityInterface
public interface DeliveryActivities {
    /**
     * Renders and records the message if that has not happened, then applies quiet hours and
     * frequency caps as of {@code nowMillis}. Idempotent: a message already admitted stays admitted
     * (and is counted once); one already capped, failed or sent keeps that status.
     */
    Admission admit(SendMessage message, long nowMillis);
}
