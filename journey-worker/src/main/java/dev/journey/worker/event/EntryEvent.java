package dev.journey.worker.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The event that entered the subject into the journey: what templates see as {@code entry_event}. */
public record EntryEvent(long id, String eventId, String type, String subjectType, String subjectId,
                         Map<String, Object> data, String timestamp) {
    /** Where a system event names the journeys whose steps caused it, in order. */
    public static final String CAUSED_BY = "causedBy";

    /** The journeys that caused this event ({@code data.causedBy} when it is a list of strings); empty for others. */
    public List<String> causedBy() {
        if (data != null && data.get(CAUSED_BY) instanceof List<?> chain && chain.stream().allMatch(String.class::isInstance)) {
            return chain.stream().map(String.class::cast).toList();
        }
        return List.of();
    }

    /** The event as templates and conditions see it. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", String.valueOf(id));
        map.put("eventId", eventId);
        map.put("type", type);
        map.put("subjectType", subjectType);
        map.put("subjectId", subjectId);
        map.put("data", data == null ? Map.of() : data);
        map.put("timestamp", timestamp);
        return map;
    }
}
