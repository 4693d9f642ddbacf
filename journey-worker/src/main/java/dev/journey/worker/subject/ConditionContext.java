package dev.journey.worker.subject;

import java.util.HashMap;
import java.util.Map;

import dev.journey.worker.event.EntryEvent;

/**
 * The variables a trigger's or a branch's condition reads: the event ({@code entry_event}), its
 * {@code data} at the top, the subject's {@code user} when the caller has it, and what the
 * instance's fetch steps answered ({@code fetched}, by step id; empty before any). Built in one place
 * so a condition reads the same names wherever it is evaluated (dispatch, a branch, a dry run).
 */
public final class ConditionContext {
    private ConditionContext() {}

    /** {@code user} may be null: a condition that does not mention the user need not load it. */
    public static Map<String, Object> of(EntryEvent event, Map<String, Object> user) {
        return of(event, user, null);
    }

    /** {@code fetched}: the instance's fetch answers by step id, null for none. */
    public static Map<String, Object> of(EntryEvent event, Map<String, Object> user, Map<String, Object> fetched) {
        Map<String, Object> entry = event.asMap();
        Map<String, Object> context = new HashMap<>();
        context.put("entry_event", entry);
        context.put("data", entry.get("data"));
        if (user != null) {
            context.put("user", user);
        }
        context.put("fetched", fetched == null ? Map.of() : fetched);
        return context;
    }
}
