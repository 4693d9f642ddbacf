package dev.journey.worker.journey;

import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.EntryEvent;
import java.util.List;

import dev.journey.worker.dsl.JourneyDefinition;

/**
 * What a journey instance starts with: the version it runs, the event that entered it, and (after
 * continue-as-new, or when resumed from its checkpoint) the state it had reached.
 *
 * <p>The version is a reference (project, journey, version): the workflow reads its structure with
 * a local activity, and each message step's inline template is read when the message is rendered,
 * so no input carries template bodies (thirty inline e-mails would approach Temporal's 2 MB limit
 * on a payload). {@code journey} is null for such inputs; runs started before references existed
 * carried the whole definition there, and replay with it.
 */
public record JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey,
                           EntryEvent entryEvent, JourneyState state, Resume resume) {
    /**
     * A run that takes over from a checkpoint: the step it was in keeps its deadline, and the
     * events it had heard but not used, or never heard, are heard again (duplicates are dropped).
     * A continue-as-new while waiting uses it too: the wait keeps its deadline, its events are in
     * the state.
     */
    public record Resume(Long wakeAtMillis, List<InboundEvent> events) {}

    /** A new instance of a journey version, by reference. */
    public JourneyInput(String projectId, String journeyId, int version, EntryEvent entryEvent) {
        this(projectId, journeyId, version, null, entryEvent, null, null);
    }

    /** A new instance carrying the whole definition, as runs were started before references (still runs). */
    public JourneyInput(String projectId, String journeyId, int version, JourneyDefinition journey, EntryEvent entryEvent) {
        this(projectId, journeyId, version, journey, entryEvent, null, null);
    }

    /** The next run, between steps: the reference, never the definition, and the state. */
    JourneyInput continuedWith(JourneyState next) {
        return new JourneyInput(projectId, journeyId, version, null, entryEvent, next, null);
    }

    /** The next run, in the middle of a wait: it goes on waiting until the same deadline. */
    JourneyInput continuedWaiting(JourneyState next, long wakeAtMillis) {
        return new JourneyInput(projectId, journeyId, version, null, entryEvent, next, new Resume(wakeAtMillis, List.of()));
    }
}
