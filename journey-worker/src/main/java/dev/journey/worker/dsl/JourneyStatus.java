package dev.journey.worker.dsl;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a journey stands: only a published journey takes entries; stored and shown in lower case. */
public enum JourneyStatus {
    DRAFT, PUBLISHED, PAUSED, ARCHIVED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by its stored value, or null when none has that name. */
    @JsonCreator
    public static JourneyStatus of(String value) {
        for (JourneyStatus s : values()) {
            if (s.value().equals(value)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return value();
    }
}
