package dev.journey.worker.dsl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Picks the kind of a condition by the key it carries. Definitions are checked by
 * {@link JourneyValidator} first, so this only has to read well-formed ones.
 */
class ConditionDeserializer extends StdDeserializer<Condition> {
    ConditionDeserializer() {
        super(Condition.class);
    }

    @Override
    public Condition deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
        return read(parser.readValueAsTree(), ctx);
    }

    static Condition read(JsonNode node, DeserializationContext ctx) throws IOException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            return ctx.reportInputMismatch(Condition.class, "a condition must be an object");
        }
        if (node.has("all")) {
            return new Condition.All(list(node.get("all"), ctx));
        }
        if (node.has("any")) {
            return new Condition.Any(list(node.get("any"), ctx));
        }
        if (node.has("not")) {
            return new Condition.Not(read(node.get("not"), ctx));
        }
        if (node.has("path")) {
            Operator operator;
            try {
                operator = Operator.of(node.path("op").asText(null));
            } catch (IllegalArgumentException e) {
                return ctx.reportInputMismatch(Condition.class, e.getMessage());
            }
            JsonNode valueFrom = node.get("valueFrom");
            return new Condition.Compare(node.get("path").asText(), operator, node.get("value"),
                    valueFrom == null || valueFrom.isNull() ? null : valueFrom.asText());
        }
        if (node.has("event")) {
            JsonNode since = node.has("since") ? node.get("since") : node.get("within");
            Map<String, Long> count = new LinkedHashMap<>();
            node.path("count").fields().forEachRemaining(f -> count.put(f.getKey(), f.getValue().asLong()));
            return new Condition.EventCount(node.get("event").asText(), since == null ? null : since.asText(),
                    text(node.get("from")), text(node.get("to")), read(node.get("where"), ctx), count.isEmpty() ? null : count);
        }
        if (node.has("segment")) {
            return new Condition.Segment(node.get("segment").asText());
        }
        return ctx.reportInputMismatch(Condition.class, "a condition needs one of \"all\", \"any\", \"not\", \"path\", \"event\" or \"segment\"");
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<Condition> list(JsonNode array, DeserializationContext ctx) throws IOException {
        List<Condition> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(read(item, ctx));
        }
        return out;
    }
}
