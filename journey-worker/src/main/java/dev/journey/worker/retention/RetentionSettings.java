package dev.journey.worker.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.worker.dsl.Durations;
import dev.journey.worker.dsl.Problem;
import dev.journey.worker.message.DeliverySettings;

/**
 * A project's retention, as the API reads and answers it:
 * <pre>
 * {"events": "P400D", "messages": "P180D", "instances": "P180D"}
 * </pre>
 * whole days; a field left out or null takes the engine's default. {@code own} holds the windows
 * the project set itself.
 */
public record RetentionSettings(Map<Retained, Duration> own) {
    public static final RetentionSettings NONE = new RetentionSettings(Map.of());

    public RetentionSettings {
        own = own.isEmpty() ? Map.of() : new EnumMap<>(own);
    }

    /**
     * The shortest window of each kind: an event must outlive its dispatch and retries by far; a
     * frequency cap counts up to {@link DeliverySettings#MAX_CAP_PERIOD} of messages; an instance
     * may go a day after its end.
     */
    static Duration shortest(Retained kind) {
        return switch (kind) {
            case EVENTS -> Duration.ofDays(7);
            case MESSAGES -> DeliverySettings.MAX_CAP_PERIOD;
            case INSTANCES -> Duration.ofDays(1);
        };
    }

    /** The window that applies to the project. */
    public Duration window(Retained kind, RetentionConfig config) {
        return own.getOrDefault(kind, config.defaultOf(kind));
    }

    /** The oldest time still shown at {@code now}: what is older is gone or about to go. */
    public Instant retainedFrom(Retained kind, RetentionConfig config, Instant now) {
        return now.minus(window(kind, config));
    }

    /** Reads a settings document; every problem is added with its path, and then the result is not to be used. */
    public static RetentionSettings parse(JsonNode body, RetentionConfig config, List<Problem> problems) {
        Map<Retained, Duration> own = new EnumMap<>(Retained.class);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (kind(name) == null) {
                problems.add(new Problem(name, "unknown field; expected events, messages or instances"));
            }
        }
        for (Retained kind : Retained.values()) {
            JsonNode value = body.get(kind.field());
            if (value == null || value.isNull()) {
                continue;
            }
            Duration d = days(value, kind, config, problems);
            if (d != null) {
                own.put(kind, d);
            }
        }
        return new RetentionSettings(own);
    }

    private static Duration days(JsonNode value, Retained kind, RetentionConfig config, List<Problem> problems) {
        String bounds = "must be whole days from " + text(shortest(kind)) + " to " + text(config.longest()) + ", e.g. \""
                + text(config.defaultOf(kind)) + "\"";
        if (!value.isTextual()) {
            problems.add(new Problem(kind.field(), bounds));
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(value.asText());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(kind.field(), e.getMessage()));
            return null;
        }
        if (d.toSeconds() % 86_400 != 0 || d.compareTo(shortest(kind)) < 0 || d.compareTo(config.longest()) > 0) {
            problems.add(new Problem(kind.field(), bounds));
            return null;
        }
        return d;
    }

    private static Retained kind(String field) {
        for (Retained kind : Retained.values()) {
            if (kind.field().equals(field)) {
                return kind;
            }
        }
        return null;
    }

    /** The answer of the API: each window that applies, whether the project's own, and where each kind now begins. */
    public ObjectNode toJson(RetentionConfig config, Instant now) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode from = JsonNodeFactory.instance.objectNode();
        ObjectNode defaults = JsonNodeFactory.instance.objectNode();
        for (Retained kind : Retained.values()) {
            out.put(kind.field(), text(window(kind, config)));
            defaults.put(kind.field(), text(config.defaultOf(kind)));
            from.put(kind.field(), retainedFrom(kind, config, now).toString());
        }
        out.set("defaults", defaults);
        out.set("retainedFrom", from);
        out.put("eventIdDedupWindow", text(config.dedupWindow()));
        return out;
    }

    /** A whole number of days as written: {@code P400D}. */
    public static String text(Duration d) {
        return "P" + d.toDays() + "D";
    }
}
