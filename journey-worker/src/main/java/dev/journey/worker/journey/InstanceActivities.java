package dev.journey.worker.journey;

import io.temporal.activity.ActivityInterface;

/** Keeps the state the API shows of an instance in PostgreSQL (the embedded Temporal has no visibility queries). */
@ActivityInterface
public interface InstanceActivities {
    void stepReached(String workflowId, String stepId);

    void ended(String workflowId, String status, String reason);
}
