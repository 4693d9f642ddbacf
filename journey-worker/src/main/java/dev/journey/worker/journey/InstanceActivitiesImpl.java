package dev.journey.worker.journey;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.instance.InstanceStore;
import io.temporal.failure.ApplicationFailure;

/**
 * Writes an instance's progress; each call is an idempotent UPDATE, so a retried activity changes
 * nothing twice. The row always exists before its workflow starts (the dispatcher commits it
 * first), so an update that finds no row is an error worth retrying, not a silent no-op.
 */
public class InstanceActivitiesImpl implements InstanceActivities {
    private final InstanceStore instances;
    private final ObjectMapper json;
    private final Runnable onEnded;

    /** @param onEnded told after each instance's end is recorded (the in-process runtime counts closed workflows) */
    public InstanceActivitiesImpl(InstanceStore instances, ObjectMapper json, Runnable onEnded) {
        this.instances = instances;
        this.json = json;
        this.onEnded = onEnded;
    }

    @Override
    public void stepReached(String workflowId, String stepId) {
        recorded(workflowId, () -> instances.stepReached(workflowId, stepId));
    }

    @Override
    public void checkpoint(String workflowId, Checkpoint checkpoint) {
        String text;
        try {
            text = json.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause("checkpoint not serialisable: " + e.getMessage(), "Checkpoint", e);
        }
        Instant wakeAt = checkpoint.wakeAtMillis() == null ? null : Instant.ofEpochMilli(checkpoint.wakeAtMillis());
        recorded(workflowId, () -> instances.checkpoint(workflowId, checkpoint.stepId(), text, wakeAt));
    }

    @Override
    public void ended(String workflowId, InstanceStatus status, String reason) {
        recorded(workflowId, () -> instances.end(workflowId, status, reason));
        onEnded.run();
    }

    /** Runs the update; when it changed nothing, checks that the row exists (an ended row is fine: stopped from outside). */
    private void recorded(String workflowId, java.util.function.BooleanSupplier update) {
        try {
            if (!update.getAsBoolean() && !instances.exists(workflowId)) {
                throw ApplicationFailure.newFailure("no journey_instance row for " + workflowId, "MissingInstance");
            }
        } catch (SqlFailure e) {
            throw ApplicationFailure.newFailureWithCause("instance update failed: " + e.getMessage(), "SQLException", e);
        }
    }
}
