package dev.journey.api.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.error.ApiError;
import dev.journey.worker.dsl.Durations;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionSettings;
import dev.journey.worker.retention.RetentionStore;

/**
 * A condition may not count events over a longer period than the project keeps them: "3 purchases
 * within P500D" under a 400-day retention would quietly count only 400 days. Checked on save of
 * segments and journeys (triggers, branches, waits, exits: every event condition in the document),
 * after the language's own checks; each problem names the field.
 */
@ApplicationScoped
public class LookBack {
    private static final List<String> PERIODS = List.of("since", "within");

    @Inject
    RetentionStore retention;

    /** The event conditions of {@code document} (found at {@code at}, "" for a whole body) that look back further than the project keeps events. */
    public List<ApiError.Detail> beyondRetention(String projectId, JsonNode document, String at) {
        Duration kept = retention.get(projectId).window(Retained.EVENTS, retention.config());
        List<ApiError.Detail> problems = new ArrayList<>();
        walk(document, at, kept, problems);
        return problems;
    }

    private static void walk(JsonNode node, String path, Duration kept, List<ApiError.Detail> problems) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", kept, problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.hasNonNull("event")) {
            for (String period : PERIODS) {
                JsonNode value = node.get(period);
                if (value != null && value.isTextual() && value.asText().startsWith("P") && longer(value.asText(), kept)) {
                    problems.add(new ApiError.Detail(child(path, period), "looks back " + value.asText()
                            + ", longer than the project keeps events (" + RetentionSettings.text(kept)
                            + "); shorten it or raise the events retention (PUT .../retention)"));
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            walk(field.getValue(), child(path, field.getKey()), kept, problems);
        }
    }

    private static boolean longer(String period, Duration kept) {
        try {
            return Durations.parse(period).compareTo(kept) > 0;
        } catch (IllegalArgumentException e) {
            return false; // the language's own checks name it
        }
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
