package dev.journey.worker.event;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.worker.dsl.Conditions;

/**
 * The catalog's name for the type of each data property: {@code string}, {@code time} (a string
 * with an ISO-8601 time and offset), {@code number}, {@code boolean}, {@code array<number>},
 * {@code array<string>}; nulls, objects and empty arrays name none. Properties seen with two types
 * are {@code mixed} — within a batch here, and with what the catalog already holds by PostgreSQL's
 * {@code merge_property_types}. The only place these rules are written.
 */
public final class PropertyKinds {
    private static final String MIXED = "mixed";

    private PropertyKinds() {}

    /** The kind of one value, or null when it has none. */
    public static String of(JsonNode value) {
        if (value.isTextual()) {
            return Conditions.isoTime(value.textValue()) != null ? "time" : "string";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isArray() && !value.isEmpty()) {
            return value.get(0).isNumber() ? "array<number>" : "array<string>";
        }
        return null;
    }

    /** Adds an event's data to the kinds seen so far (property → kind), in place. */
    public static void add(Map<String, String> kinds, JsonNode data) {
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String kind = of(property.getValue());
            if (kind != null) {
                kinds.merge(property.getKey(), kind, (seen, now) -> seen.equals(now) ? seen : MIXED);
            }
        }
    }
}
