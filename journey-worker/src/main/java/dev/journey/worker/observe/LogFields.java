package dev.journey.worker.observe;

import org.slf4j.MDC;

/**
 * The ids a log line carries as fields ({@code projectId}, {@code journeyId}, {@code instanceId},
 * {@code messageId}), through SLF4J's MDC: in the API process that is JBoss Log Manager's MDC, which the
 * JSON console format writes as {@code "mdc": {...}}; a standalone worker (java.util.logging) writes it the
 * same way with {@link JsonLogFormatter}. Set at the start of an activity and removed at its end, since activity threads are
 * pooled.
 */
public final class LogFields implements AutoCloseable {
    public static final String PROJECT = "projectId";
    public static final String JOURNEY = "journeyId";
    public static final String INSTANCE = "instanceId";
    public static final String MESSAGE = "messageId";

    private final String[] keys;

    private LogFields(String[] keys) {
        this.keys = keys;
    }

    /** Puts {@code key, value, key, value …} (null values are skipped) until {@link #close()}. */
    public static LogFields of(String... keysAndValues) {
        String[] keys = new String[keysAndValues.length / 2];
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                MDC.put(keysAndValues[i], keysAndValues[i + 1]);
                keys[i / 2] = keysAndValues[i];
            }
        }
        return new LogFields(keys);
    }

    @Override
    public void close() {
        for (String key : keys) {
            if (key != null) {
                MDC.remove(key);
            }
        }
    }
}
