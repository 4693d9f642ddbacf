package dev.journey.worker.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Renders {@code template} (field name to Liquid source) and hands it to the project's channel of that type. */
public record MessageStep(String id, String channel, Map<String, String> template, String next) implements Step {
    @Override
    public List<String> successors() {
        return Arrays.asList(next);
    }
}
