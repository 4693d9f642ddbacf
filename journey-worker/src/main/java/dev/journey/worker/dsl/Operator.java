package dev.journey.worker.dsl;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Comparison operators of {@link Condition.Compare}, by their JSON names. */
public enum Operator {
    EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"),
    CONTAINS("contains"), IN("in"), EXISTS("exists"), NOT_EXISTS("notExists"), STARTS_WITH("startsWith");

    private final String json;

    Operator(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static Operator of(String json) {
        return Arrays.stream(values()).filter(o -> o.json.equals(json)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operator \"" + json + "\"; expected one of "
                        + Arrays.stream(values()).map(Operator::json).toList()));
    }

    public boolean needsValue() {
        return this != EXISTS && this != NOT_EXISTS;
    }
}
