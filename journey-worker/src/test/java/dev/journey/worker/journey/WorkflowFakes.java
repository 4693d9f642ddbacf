package dev.journey.worker.journey;

import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.event.EntryEvent;

/** What the workflow tests' fake activities share. */
final class WorkflowFakes {
    private WorkflowFakes() {}

    /**
     * The first condition that matches the entry event, for a user tagged {@code tier: gold}; no
     * history here (the API tests cover it).
     */
    static int firstMatch(EntryEvent entryEvent, List<Condition> conditions) {
        Map<String, Object> context = Map.of("entry_event", entryEvent.asMap(), "data", entryEvent.data(),
                "user", Map.of("tags", Map.of("tier", "gold")));
        for (int i = 0; i < conditions.size(); i++) {
            if (Conditions.matches(conditions.get(i), context)) {
                return i;
            }
        }
        return -1;
    }
}
