package dev.journey.worker.journey;

import dev.journey.worker.dsl.JourneyDefinition;

/** What a journey instance starts with: the frozen version it runs and the event that entered it. */
public record JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey, EntryEvent entryEvent) {}
