package dev.journey.worker.journey;

import dev.journey.worker.instance.InstanceStatus;
import io.temporal.activity.ActivityInterface;

/**
 * Keeps each instance's progress in PostgreSQL: what the API shows (the embedded Temporal has no
 * visibility queries), and the checkpoint a fresh workflow resumes from.
 */
@ActivityInterface
public interface InstanceActivities {
    /** Histories recorded before checkpoints existed still call this; new runs call {@link #checkpoint}. */
    void stepReached(String workflowId, String stepId);

    void checkpoint(String workflowId, Checkpoint checkpoint);

    void ended(String workflowId, InstanceStatus status, String reason);
}
