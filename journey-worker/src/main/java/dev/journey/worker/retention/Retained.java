package dev.journey.worker.retention;

import java.util.Locale;

/** What a project keeps for a while: its events, its message log, its finished journey instances. */
public enum Retained {
    EVENTS, MESSAGES, INSTANCES;

    /** The field of the API and the settings document: {@code events}, {@code messages}, {@code instances}. */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column of {@code retention_settings} holding a project's own window, in days. */
    String column() {
        return field() + "_days";
    }
}
