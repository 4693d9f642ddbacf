package dev.journey.worker.journey;

import java.util.List;

import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.SendMessage;
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

    /** Runs that began before instance paths were recorded call this; new runs call {@link #stepBegun}. */
    void checkpoint(String workflowId, Checkpoint checkpoint);

    /**
     * The checkpoint of a step that begins, and the instance's path: the step just left (with its
     * outcome), if any, and the one that begins.
     */
    void stepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path);

    /**
     * A message step that begins: its checkpoint and path as {@link #stepBegun}, then its message
     * admitted as {@link DeliveryActivities#admit} — one local activity where there were two.
     */
    Admission messageStepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path, SendMessage message, long nowMillis);

    /** Runs that began before instance paths were recorded call this; new runs call {@link #finished}. */
    void ended(String workflowId, InstanceStatus status, String reason);

    /** How an instance ended: its status, the reason, and the goal or exitOn event that ended it, if one did. */
    record Ending(InstanceStatus status, String reason, Long eventId) {}

    /** The end of an instance, with the last step it left (if the path does not have it yet). */
    void finished(String workflowId, Ending ending, List<PathStep> path);

    /**
     * The structure of a published journey version, without the bodies of its inline templates
     * (message steps keep channel, channelId and templateId; {@code template} is null): what the
     * workflow interprets. The send reads the template of its step itself.
     */
    JourneyDefinition definition(String projectId, String journeyId, int version);
}
