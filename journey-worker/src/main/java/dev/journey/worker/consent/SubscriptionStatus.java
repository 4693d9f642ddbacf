package dev.journey.worker.consent;

import java.util.Optional;

import dev.journey.worker.db.StoredName;

/** A subject's choice for a topic on a channel, and a topic's default for those who made none. */
public enum SubscriptionStatus implements StoredName {
    SUBSCRIBED, UNSUBSCRIBED;

    public static Optional<SubscriptionStatus> of(String value) {
        return StoredName.of(SubscriptionStatus.class, value);
    }

    @Override
    public String toString() {
        return value();
    }
}
