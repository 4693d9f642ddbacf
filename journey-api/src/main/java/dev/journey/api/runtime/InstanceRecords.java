package dev.journey.api.runtime;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The writes the runtime makes to journey_instance rows (the workflow's own go through InstanceActivitiesImpl). */
public final class InstanceRecords {
    private InstanceRecords() {}

    /** Ends an instance that no workflow will end: archived while nothing ran it, terminated in Temporal, unable to start. */
    public static void end(DataSource db, String workflowId, String status, String reason) {
        update(db, "UPDATE journey_instance SET status = ?, end_reason = ?, current_step = NULL, wake_at = NULL, ended_at = now()"
                + " WHERE workflow_id = ? AND ended_at IS NULL", status, reason, workflowId);
    }

    public static void resumed(DataSource db, String workflowId) {
        update(db, "UPDATE journey_instance SET resumes = resumes + 1 WHERE workflow_id = ?", workflowId);
    }

    private static void update(DataSource db, String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("journey instance " + args[args.length - 1] + " could not be updated: " + e.getMessage(), e);
        }
    }
}
