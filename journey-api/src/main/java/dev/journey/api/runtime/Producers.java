package dev.journey.api.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.journey.templates.TemplateRenderer;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;

/** Beans built from the plain-Java modules. */
public class Producers {
    @Produces
    @ApplicationScoped
    TemplateRenderer templateRenderer() {
        return new TemplateRenderer();
    }

    @Produces
    @ApplicationScoped
    SubjectStore subjectStore(AgroalDataSource db, ObjectMapper json) {
        return new SubjectStore(db, json);
    }

    @Produces
    @ApplicationScoped
    JourneyValidator journeyValidator(TemplateRenderer templates) {
        return new JourneyValidator(templates);
    }
}
