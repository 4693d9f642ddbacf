package dev.journey.api.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.journey.JourneyWorkflow;
import io.temporal.client.WorkflowNotFoundException;

/**
 * Signals running instances. When Temporal runs no workflow for an instance that PostgreSQL
 * calls active, the instance is recovered instead: resumed from its checkpoint (it reads the
 * events it missed, this one included, from the event table) or, if Temporal ended it, recorded
 * as ended.
 */
@ApplicationScoped
public class InstanceSignals {
    @Inject
    TemporalRuntime temporal;
    @Inject
    InstanceRecovery recovery;

    public void event(String workflowId, InboundEvent event) {
        send(workflowId, JourneyWorkflow.EVENT_SIGNAL, event);
    }

    public void stop(String workflowId, String reason) {
        send(workflowId, JourneyWorkflow.STOP_SIGNAL, reason);
    }

    private void send(String workflowId, String signal, Object payload) {
        try {
            temporal.signal(workflowId, signal, payload);
        } catch (WorkflowNotFoundException gone) {
            recovery.recover(workflowId);
        }
    }
}
