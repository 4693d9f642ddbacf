package dev.journey.templates;

/** A problem in one field of a template, where the marketer can find it (1-based line and column; 0 when unknown). */
public record TemplateError(String field, int line, int column, String message) {}
