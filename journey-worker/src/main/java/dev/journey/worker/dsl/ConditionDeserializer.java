package dev.journey.worker.dsl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/** Picks the kind of a condition by the key it carries ({@code all}, {@code any}, {@code not} or {@code path}). */
class ConditionDeserializer extends StdDeserializer<Condition> {
    ConditionDeserializer() {
        super(Condition.class);
    }

    @Override
    public Condition deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
        JsonNode node = parser.readValueAsTree();
        return read(node, parser, ctx);
    }

    private Condition read(JsonNode node, JsonParser parser, DeserializationContext ctx) throws IOException {
        if (node == null || !node.isObject()) {
            return ctx.reportInputMismatch(Condition.class, "a condition must be an object");
        }
        if (node.has("all")) {
            return new Condition.All(list(node.get("all"), "all", parser, ctx));
        }
        if (node.has("any")) {
            return new Condition.Any(list(node.get("any"), "any", parser, ctx));
        }
        if (node.has("not")) {
            return new Condition.Not(read(node.get("not"), parser, ctx));
        }
        if (node.has("path")) {
            JsonNode op = node.get("op");
            if (op == null || !op.isTextual()) {
                return ctx.reportInputMismatch(Condition.class, "\"op\" is required with \"path\"");
            }
            Operator operator;
            try {
                operator = Operator.of(op.asText());
            } catch (IllegalArgumentException e) {
                return ctx.reportInputMismatch(Condition.class, e.getMessage());
            }
            return new Condition.Compare(node.get("path").asText(), operator, node.get("value"));
        }
        return ctx.reportInputMismatch(Condition.class,
                "a condition needs one of \"all\", \"any\", \"not\" or \"path\"");
    }

    private List<Condition> list(JsonNode array, String key, JsonParser parser, DeserializationContext ctx) throws IOException {
        if (!array.isArray()) {
            ctx.reportInputMismatch(Condition.class, "\"" + key + "\" must be an array of conditions");
        }
        List<Condition> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(read(item, parser, ctx));
        }
        return out;
    }
}
