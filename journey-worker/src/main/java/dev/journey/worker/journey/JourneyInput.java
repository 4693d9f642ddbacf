package dev.journey.worker.journey;

import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.EntryEvent;
import java.util.List;

import dev.journey.worker.dsl.JourneyDefinition;

/**
 * What a journey instance starts with: the frozen version it runs, the event that entered it, and
 * (after continue-as-new, or when resumed from its checkpoint) the state it had reached.
 */
public record JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey,
                           EntryEvent entryEvent, JourneyState state, Resume resume) {
    /**
     * A run that takes over from a checkpoint: the step it was in keeps its deadline, and the
     * events it had heard but not used, or never heard, are heard again (duplicates are dropped).
     */
    public record Resume(Long wakeAtMillis, List<InboundEvent> events) {}

    public JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey, EntryEvent entryEvent) {
        this(projectId, journeyId, version, journey, entryEvent, null, null);
    }

    JourneyInput continuedWith(JourneyState next) {
        return new JourneyInput(projectId, journeyId, version, journey, entryEvent, next, null);
    }
}
