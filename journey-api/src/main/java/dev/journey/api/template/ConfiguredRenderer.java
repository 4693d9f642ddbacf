package dev.journey.api.template;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import dev.journey.worker.TemplatesConfig;
import dev.journey.templates.TemplateRenderer;

/**
 * The one {@link TemplateRenderer} of the process (preview, validation on save, and the in-process
 * journey worker), built with the sandbox limits of {@code journey.templates.*}. The runtime
 * package also produces a renderer, with the module's defaults; template settings belong to this
 * package, so this producer is an enabled alternative that takes its place.
 */
public class ConfiguredRenderer {
    @Produces
    @ApplicationScoped
    @Alternative
    @Priority(1)
    TemplateRenderer configured(TemplatesConfig config) {
        return new TemplateRenderer(config.limits());
    }
}
