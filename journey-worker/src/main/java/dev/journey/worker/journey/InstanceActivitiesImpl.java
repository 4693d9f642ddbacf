package dev.journey.worker.journey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.temporal.failure.ApplicationFailure;

/** Writes an instance's progress; each call is an idempotent UPDATE, so a retried activity changes nothing twice. */
public class InstanceActivitiesImpl implements InstanceActivities {
    private final DataSource db;

    public InstanceActivitiesImpl(DataSource db) {
        this.db = db;
    }

    @Override
    public void stepReached(String workflowId, String stepId) {
        update("UPDATE journey_instance SET current_step = ?, status = 'active' WHERE workflow_id = ? AND ended_at IS NULL",
                stepId, workflowId);
    }

    @Override
    public void ended(String workflowId, String status, String reason) {
        update("UPDATE journey_instance SET status = ?, end_reason = ?, current_step = NULL, ended_at = now()"
                + " WHERE workflow_id = ? AND ended_at IS NULL", status, reason, workflowId);
    }

    private void update(String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw ApplicationFailure.newFailureWithCause("instance update failed: " + e.getMessage(), "SQLException", e);
        }
    }
}
