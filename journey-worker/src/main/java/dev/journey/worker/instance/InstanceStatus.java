package dev.journey.worker.instance;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a journey instance stands; stored and shown in lower case. */
public enum InstanceStatus {
    ACTIVE, COMPLETED, EXITED, CONVERTED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by its stored value, or null when none has that name. */
    @JsonCreator
    public static InstanceStatus of(String value) {
        for (InstanceStatus s : values()) {
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
