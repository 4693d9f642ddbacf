package dev.journey.worker.dsl;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event type and an optional condition on it: a trigger, an exitOn entry, a goal. A trigger may
 * name a {@code segment} instead: the user enters the journey on entering the segment (the engine
 * records {@code @segment_entered} with the segment's id, and that event is the entry event), or
 * with {@code "on": "exit"} on leaving it ({@code @segment_exited}).
 */
public record EventMatch(String event, String segment, Condition where, @JsonInclude(JsonInclude.Include.NON_NULL) String on) {
    public static final String SEGMENT_ENTERED = "@segment_entered";
    public static final String SEGMENT_EXITED = "@segment_exited";
    /** The values of a segment trigger's {@code on}; absent means {@link #ON_ENTER}. */
    public static final String ON_ENTER = "enter";
    public static final String ON_EXIT = "exit";

    public EventMatch(String event, Condition where) {
        this(event, null, where, null);
    }

    public EventMatch(String event, String segment, Condition where) {
        this(event, segment, where, null);
    }

    /**
     * Whether an event of the subject heard by a running instance matches (an exitOn, a goal, a wait
     * for an event): its type, and {@code where} on its {@code data} and the instance's
     * {@code entry_event}. Pure, as workflow code needs.
     */
    public boolean matchesHeard(String type, Map<String, Object> data, Map<String, Object> entryEvent) {
        if (!eventType().equals(type)) {
            return false;
        }
        return Conditions.matches(where, Map.of("data", data == null ? Map.of() : data, "entry_event", entryEvent));
    }

    /** The event type that starts this match: the event, or @segment_entered (@segment_exited with on: exit) for a segment. */
    public String eventType() {
        if (segment == null) {
            return event;
        }
        return ON_EXIT.equals(on) ? SEGMENT_EXITED : SEGMENT_ENTERED;
    }
}
