package dev.journey.worker.journey;

import dev.journey.worker.instance.InstanceStatus;

import dev.journey.worker.event.InboundEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an instance carries across continue-as-new: where it is, the events
 * it has heard and not yet used, and the ids it has seen (so a redelivered event is ignored).
 * Bounded, so history stays bounded however long the user stays.
 */
public class JourneyState {
    public static final int MAX_INBOX = 100;
    public static final int MAX_SEEN = 500;

    public String stepId;
    public List<InboundEvent> inbox = new ArrayList<>();
    public List<Long> seen = new ArrayList<>();
    /** Set when a goal, an exitOn event or an archive ends the instance: CONVERTED or EXITED. */
    public InstanceStatus endStatus;
    public String endReason;

    public JourneyState() {}

    public JourneyState(String stepId) {
        this.stepId = stepId;
    }

    /**
     * The state a resumed run starts from: the checkpoint's step, and its seen ids minus the inbox,
     * whose events are heard again from the event table with anything the old run missed.
     */
    public static JourneyState resumedFrom(Checkpoint checkpoint) {
        JourneyState state = new JourneyState(checkpoint.stepId());
        state.seen.addAll(checkpoint.seen());
        state.seen.removeAll(checkpoint.inbox());
        return state;
    }

    Checkpoint checkpoint(Long wakeAtMillis) {
        return new Checkpoint(stepId, wakeAtMillis, List.copyOf(seen), inbox.stream().map(InboundEvent::id).toList());
    }

    /** Adds an event unless it was seen already; false for a duplicate. */
    boolean hear(InboundEvent event) {
        if (seen.contains(event.id())) {
            return false;
        }
        seen.add(event.id());
        if (seen.size() > MAX_SEEN) {
            seen.remove(0);
        }
        inbox.add(event);
        if (inbox.size() > MAX_INBOX) {
            inbox.remove(0);
        }
        return true;
    }

    void end(InstanceStatus status, String reason) {
        if (endStatus == null) {
            endStatus = status;
            endReason = reason;
        }
    }
}
