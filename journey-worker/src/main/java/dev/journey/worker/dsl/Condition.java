package dev.journey.worker.dsl;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The condition language shared by triggers, branches and segments:
 * {@code {"all": [..]}}, {@code {"any": [..]}}, {@code {"not": c}} and
 * {@code {"path": "data.amount", "op": "gte", "value": 5000}}.
 */
@JsonDeserialize(using = ConditionDeserializer.class)
public sealed interface Condition permits Condition.All, Condition.Any, Condition.Not, Condition.Compare {

    record All(List<Condition> all) implements Condition {}

    record Any(List<Condition> any) implements Condition {}

    record Not(Condition not) implements Condition {}

    record Compare(String path, Operator op, JsonNode value) implements Condition {}
}
