package dev.journey.worker.message;

import io.temporal.activity.ActivityInterface;

/** Renders a message step and hands it to its channel, once. */
@ActivityInterface
public interface MessageActivities {
    /**
     * Renders, records and delivers. Safe to retry: the message is recorded under a key that is
     * the same on every attempt, a message already sent or failed is never sent again, and every
     * attempt carries that key to the receiver. Throws a retryable failure on 5xx, 429 or timeout,
     * when the database is unavailable, and while an earlier attempt may still be at the provider.
     */
    MessageOutcome send(SendMessage message);

    /** Records a message as failed after its retries ran out. */
    void markFailed(String messageId, String error);
}
