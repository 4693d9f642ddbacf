package dev.journey.api.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.dsl.JourneyValidator;

/** Beans built from the plain-Java modules. */
public class Producers {
    @Produces
    @ApplicationScoped
    TemplateRenderer templateRenderer() {
        return new TemplateRenderer();
    }

    @Produces
    @ApplicationScoped
    JourneyValidator journeyValidator(TemplateRenderer templates) {
        return new JourneyValidator(templates);
    }
}
