package dev.journey.worker;

import java.time.Duration;

import dev.journey.templates.TemplateLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Liquid sandbox, {@code journey.templates.*}: read by the API (Quarkus) and by a standalone
 * worker (SmallRye Config) from the same keys, so a limit set for one process holds in the other.
 */
@ConfigMapping(prefix = "journey.templates")
public interface TemplatesConfig {
    /** Longest template or snippet source, in characters. */
    @WithDefault("65536")
    int maxTemplateChars();

    /** Longest rendered text of one field, in characters (also bounds text built inside assign/capture). */
    @WithDefault("262144")
    int maxOutputChars();

    /** Loop iterations of one render, all loops together. */
    @WithDefault("10000")
    int maxIterations();

    /** Time budget of one render (CPU time of the rendering thread once the wall clock is past it); 0 for none. */
    @WithDefault("2s")
    Duration maxRenderTime();

    default TemplateLimits limits() {
        return new TemplateLimits(maxTemplateChars(), maxOutputChars(), maxIterations(), maxRenderTime().toMillis());
    }
}
