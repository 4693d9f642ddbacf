package dev.journey.worker.channel;

/** One thing wrong with a channel's configuration: the field's path and what is wrong with it. */
public record ConfigProblem(String path, String message) {}
