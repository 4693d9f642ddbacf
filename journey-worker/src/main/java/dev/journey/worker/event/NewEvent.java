package dev.journey.worker.event;

import java.time.Instant;

/** An event that passed validation, ready to store; {@code dataJson} is its data object as JSON text. */
public record NewEvent(String eventId, String subjectType, String subjectId, String type, String dataJson, Instant occurredAt) {}
