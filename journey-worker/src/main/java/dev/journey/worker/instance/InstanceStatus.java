package dev.journey.worker.instance;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.journey.worker.db.StoredName;

/** Where a journey instance stands; stored and shown in lower case. */
public enum InstanceStatus implements StoredName {
    ACTIVE, COMPLETED, EXITED, CONVERTED;

    /** The status named by its stored value, or null when none has that name. */
    @JsonCreator
    public static InstanceStatus of(String value) {
        return StoredName.of(InstanceStatus.class, value).orElse(null);
    }

    @Override
    public String toString() {
        return value();
    }
}
