package dev.journey.templates;

/** Something that rendered but is probably not what the marketer meant. */
public record TemplateWarning(String field, String message) {}
