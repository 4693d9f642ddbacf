package dev.journey.api.template;

import java.time.Duration;

import dev.journey.templates.TemplateLimits;
import io.smallrye.config.ConfigMapping;

/** The Liquid sandbox (application.properties, {@code journey.templates.*}). */
@ConfigMapping(prefix = "journey.templates")
public interface TemplatesConfig {
    /** Longest template or snippet source, in characters. */
    int maxTemplateChars();

    /** Longest rendered text of one field, in characters (also bounds text built inside assign/capture). */
    int maxOutputChars();

    /** Loop iterations of one render, all loops together. */
    int maxIterations();

    /** Wall-clock budget of one render; 0 for none. */
    Duration maxRenderTime();

    default TemplateLimits limits() {
        return new TemplateLimits(maxTemplateChars(), maxOutputChars(), maxIterations(), maxRenderTime().toMillis());
    }
}
