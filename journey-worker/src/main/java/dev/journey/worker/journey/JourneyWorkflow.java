package dev.journey.worker.journey;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One journey instance: one subject walking the steps of one journey version. */
@WorkflowInterface
public interface JourneyWorkflow {
    @WorkflowMethod
    String run(JourneyInput input);
}
