package dev.journey.templates;

/**
 * Sandbox limits for one render; a template that hits one fails with a clear error and harms no
 * other render. {@code maxRenderMillis} is checked cooperatively (at every block body, loop
 * iteration, filter and partial) on the rendering thread itself, so no executor is spawned per
 * render; 0 turns it off.
 */
public record TemplateLimits(int maxTemplateBytes, int maxOutputChars, int maxIterations, long maxRenderMillis) {
    public static final TemplateLimits DEFAULT = new TemplateLimits(64 * 1024, 256 * 1024, 10_000, 2_000);

    public TemplateLimits {
        if (maxTemplateBytes <= 0 || maxOutputChars <= 0 || maxIterations <= 0 || maxRenderMillis < 0) {
            throw new IllegalArgumentException("template limits must be positive (render time may be 0 for none): " + maxTemplateBytes
                    + ", " + maxOutputChars + ", " + maxIterations + ", " + maxRenderMillis);
        }
    }

    /** Limits without a render-time budget. */
    public TemplateLimits(int maxTemplateBytes, int maxOutputChars, int maxIterations) {
        this(maxTemplateBytes, maxOutputChars, maxIterations, 0);
    }
}
