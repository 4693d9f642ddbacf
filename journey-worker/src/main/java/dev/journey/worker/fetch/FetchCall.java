package dev.journey.worker.fetch;

import java.util.Map;

import dev.journey.worker.dsl.FetchStep;
import dev.journey.worker.event.EntryEvent;

/**
 * One visit of a fetch step of one journey instance: what its request is rendered with (the same
 * variables a message sees, {@code fetched} included) and how long an attempt may take.
 *
 * @param idempotencyKey the same on every attempt of this visit ({@code JourneyIds.fetchKey})
 * @param fetched        what earlier fetch steps of the instance answered, by step id; null for none
 */
public record FetchCall(String projectId, String journeyId, String journeyName, int journeyVersion, String stepId,
                        String idempotencyKey, FetchStep.Request request, long timeoutMillis, EntryEvent entryEvent,
                        Map<String, Object> fetched) {}
