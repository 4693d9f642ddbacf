package dev.journey.templates;

/** Sandbox limits for one render; a template that hits one fails with a clear error and harms no other render. */
public record TemplateLimits(int maxTemplateBytes, int maxOutputChars, int maxIterations) {
    public static final TemplateLimits DEFAULT = new TemplateLimits(64 * 1024, 256 * 1024, 10_000);
}
