package dev.journey.worker.dsl;

/** One thing wrong with a definition: its JSON path ({@code steps[2].duration}) and what is wrong. */
public record Problem(String path, String message) {}
