package dev.journey.worker.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.journey.worker.db.StoredName;

/** Where a journey stands: only a published journey takes entries; stored and shown in lower case. */
public enum JourneyStatus implements StoredName {
    DRAFT, PUBLISHED, PAUSED, ARCHIVED;

    /** The status named by its stored value, or null when none has that name. */
    @JsonCreator
    public static JourneyStatus of(String value) {
        return StoredName.of(JourneyStatus.class, value).orElse(null);
    }

    @Override
    public String toString() {
        return value();
    }
}
