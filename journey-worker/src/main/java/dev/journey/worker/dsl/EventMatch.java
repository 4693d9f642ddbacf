package dev.journey.worker.dsl;

/**
 * An event type and an optional condition on it: a trigger, an exitOn entry, a goal. A trigger may
 * name a {@code segment} instead: the user enters the journey on entering the segment (the engine
 * records {@code @segment_entered} with the segment's id, and that event is the entry event).
 */
public record EventMatch(String event, String segment, Condition where) {
    public static final String SEGMENT_ENTERED = "@segment_entered";

    public EventMatch(String event, Condition where) {
        this(event, null, where);
    }

    /** The event type that starts this match: the event, or @segment_entered for a segment. */
    public String eventType() {
        return segment != null ? SEGMENT_ENTERED : event;
    }
}
