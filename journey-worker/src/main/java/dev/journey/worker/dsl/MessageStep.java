package dev.journey.worker.dsl;

import java.util.Map;

/** Renders {@code template} (field name to Liquid source) and hands it to the project's channel of that type. */
public record MessageStep(String id, String channel, Map<String, String> template, String next) implements Step {}
