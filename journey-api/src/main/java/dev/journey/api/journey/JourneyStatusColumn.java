package dev.journey.api.journey;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import dev.journey.worker.dsl.JourneyStatus;

/** Stores a journey's status as the lower-case word the rest of the engine's SQL reads. */
@Converter(autoApply = true)
public class JourneyStatusColumn implements AttributeConverter<JourneyStatus, String> {
    @Override
    public String convertToDatabaseColumn(JourneyStatus status) {
        return status == null ? null : status.value();
    }

    @Override
    public JourneyStatus convertToEntityAttribute(String value) {
        return JourneyStatus.of(value);
    }
}
