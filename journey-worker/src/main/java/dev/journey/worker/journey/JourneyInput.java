package dev.journey.worker.journey;

import dev.journey.worker.dsl.JourneyDefinition;

/**
 * What a journey instance starts with: the frozen version it runs, the event that entered it, and
 * (after continue-as-new) the state it had reached.
 */
public record JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey,
                           EntryEvent entryEvent, JourneyState state) {
    public JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey, EntryEvent entryEvent) {
        this(projectId, journeyId, version, journey, entryEvent, null);
    }

    JourneyInput continuedWith(JourneyState next) {
        return new JourneyInput(projectId, journeyId, version, journey, entryEvent, next);
    }
}
