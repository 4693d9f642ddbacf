package dev.journey.worker.journey;

import dev.journey.worker.event.InboundEvent;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One journey instance: one subject walking one journey version. */
@WorkflowInterface
public interface JourneyWorkflow {
    String EVENT_SIGNAL = "event";
    String STOP_SIGNAL = "stop";

    /** Returns how it ended: completed, exited or converted. */
    @WorkflowMethod
    String run(JourneyInput input);

    /** An event of the subject that this journey listens to; a repeat of the same event id is ignored. */
    @SignalMethod(name = EVENT_SIGNAL)
    void event(InboundEvent event);

    /** Ends the instance wherever it is (the journey was archived). */
    @SignalMethod(name = STOP_SIGNAL)
    void stop(String reason);
}
