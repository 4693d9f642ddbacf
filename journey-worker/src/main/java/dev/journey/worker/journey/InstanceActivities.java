package dev.journey.worker.journey;

import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.instance.InstanceStatus;
import io.temporal.activity.ActivityInterface;

/**
 * Keeps each instance's progress in PostgreSQL: what the API shows (the embedded Temporal has no
 * visibility queries), and the checkpoint a fresh workflow resumes from. Also reads the version an
 * instance runs.
 */
@ActivityInterface
public interface InstanceActivities {
    /** Histories recorded before checkpoints existed still call this; new runs call {@link #checkpoint}. */
    void stepReached(String workflowId, String stepId);

    void checkpoint(String workflowId, Checkpoint checkpoint);

    void ended(String workflowId, InstanceStatus status, String reason);

    /**
     * The structure of a published journey version, without the bodies of its inline templates
     * (message steps keep channel, channelId and templateId; {@code template} is null): what the
     * workflow interprets. The send reads the template of its step itself.
     */
    JourneyDefinition definition(String projectId, String journeyId, int version);
}
