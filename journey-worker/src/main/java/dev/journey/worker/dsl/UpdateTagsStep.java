package dev.journey.worker.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Sets the user's tags ({@code null} deletes one), e.g. {@code {"tier": "gold", "trial": null}}. */
public record UpdateTagsStep(String id, Map<String, Object> tags, String next) implements Step {
    @Override
    public List<String> successors() {
        return Arrays.asList(next);
    }
}
