package dev.journey.worker.journey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.temporal.failure.ApplicationFailure;

/**
 * Writes an instance's progress; each call is an idempotent UPDATE, so a retried activity changes
 * nothing twice. The row always exists before its workflow starts (the dispatcher commits it
 * first), so an update that finds no row is an error worth retrying, not a silent no-op.
 */
public class InstanceActivitiesImpl implements InstanceActivities {
    private final DataSource db;
    private final ObjectMapper json;
    private final Runnable onEnded;

    /** @param onEnded told after each instance's end is recorded (the in-process runtime counts closed workflows) */
    public InstanceActivitiesImpl(DataSource db, ObjectMapper json, Runnable onEnded) {
        this.db = db;
        this.json = json;
        this.onEnded = onEnded;
    }

    @Override
    public void stepReached(String workflowId, String stepId) {
        update(workflowId, "UPDATE journey_instance SET current_step = ?, status = 'active' WHERE workflow_id = ? AND ended_at IS NULL",
                stepId, workflowId);
    }

    @Override
    public void checkpoint(String workflowId, Checkpoint checkpoint) {
        try {
            update(workflowId, "UPDATE journey_instance SET current_step = ?, checkpoint = ?::jsonb, wake_at = ?,"
                            + " checkpointed_at = now() WHERE workflow_id = ? AND ended_at IS NULL",
                    checkpoint.stepId(), json.writeValueAsString(checkpoint),
                    checkpoint.wakeAtMillis() == null ? null : Timestamp.from(Instant.ofEpochMilli(checkpoint.wakeAtMillis())),
                    workflowId);
        } catch (JsonProcessingException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause("checkpoint not serialisable: " + e.getMessage(), "Checkpoint", e);
        }
    }

    @Override
    public void ended(String workflowId, String status, String reason) {
        update(workflowId, "UPDATE journey_instance SET status = ?, end_reason = ?, current_step = NULL, wake_at = NULL,"
                + " ended_at = now() WHERE workflow_id = ? AND ended_at IS NULL", status, reason, workflowId);
        onEnded.run();
    }

    /** Runs the update; when it changed nothing, checks that the row exists (an ended row is fine: stopped from outside). */
    private void update(String workflowId, String sql, Object... args) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    st.setObject(i + 1, args[i]);
                }
                if (st.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM journey_instance WHERE workflow_id = ?")) {
                st.setString(1, workflowId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw ApplicationFailure.newFailure("no journey_instance row for " + workflowId, "MissingInstance");
                    }
                }
            }
        } catch (SQLException e) {
            throw ApplicationFailure.newFailureWithCause("instance update failed: " + e.getMessage(), "SQLException", e);
        }
    }
}
