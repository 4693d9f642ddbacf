package dev.journey.worker.event;

import java.util.Map;

/**
 * An event of the instance's subject, signalled to it because the journey waits for, exits on or
 * converts on its type. {@code receivedAtMillis} is when the engine stored it: a resumed wait for an
 * event counts only those received before its deadline (null means "now", as for a live signal).
 */
public record InboundEvent(long id, String type, Map<String, Object> data, String timestamp, Long receivedAtMillis) {
    public InboundEvent(long id, String type, Map<String, Object> data, String timestamp) {
        this(id, type, data, timestamp, null);
    }

    public boolean receivedBy(long deadlineMillis) {
        return receivedAtMillis == null || receivedAtMillis <= deadlineMillis;
    }
}
