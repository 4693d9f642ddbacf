package dev.journey.worker.dsl;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The condition language shared by triggers, branches and segments:
 * {@code {"all": [..]}}, {@code {"any": [..]}}, {@code {"not": c}},
 * {@code {"path": "data.amount", "op": "gte", "value": 5000}} (or {@code "valueFrom":
 * "entry_event.data.orderId"} to compare with another value of the context), and
 * {@code {"event": "purchase", "since": "entry" | "P30D", "where": c, "count": {"gte": 1}}}
 * ("did the user do X since entering / in the last 30 days"; {@code within} is accepted for
 * {@code since}; {@code from}/{@code to} bound it by dates), and {@code {"segment": "seg_…"}}.
 */
@JsonDeserialize(using = ConditionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Condition permits Condition.All, Condition.Any, Condition.Not, Condition.Compare, Condition.EventCount,
        Condition.Segment {

    record All(List<Condition> all) implements Condition {}

    record Any(List<Condition> any) implements Condition {}

    record Not(Condition not) implements Condition {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Compare(String path, Operator op, JsonNode value, String valueFrom) implements Condition {}

    /** Membership of the user in a segment, as the segment's own condition says now. */
    record Segment(String segment) implements Condition {}

    /** {@code since} ("entry" or a duration back from now) or {@code from}/{@code to} (ISO-8601 times) bound the events counted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventCount(String event, String since, String from, String to, Condition where, Map<String, Long> count) implements Condition {
        public static final String SINCE_ENTRY = "entry";

        public Map<String, Long> countOrDefault() {
            return count == null || count.isEmpty() ? Map.of("gte", 1L) : count;
        }
    }
}
