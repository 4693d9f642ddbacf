package dev.journey.worker.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The {@code message} table: one row per (instance, step), keyed by the message id. */
class MessageLog {
    record Row(String status, String content, int attempts) {}

    private final DataSource db;

    MessageLog(DataSource db) {
        this.db = db;
    }

    /** Records the message unless it exists (a retry), then returns what is recorded. */
    Row recordOnce(SendMessage m, String contentJson, String status, String error) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO message (id, project_id, journey_id, journey_version, workflow_id, step_id, subject_type,"
                            + " subject_id, channel, content, status, last_error)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                st.setString(1, m.messageId());
                st.setString(2, m.projectId());
                st.setString(3, m.journeyId());
                st.setInt(4, m.journeyVersion());
                st.setString(5, m.workflowId());
                st.setString(6, m.stepId());
                st.setString(7, m.entryEvent().subjectType());
                st.setString(8, m.entryEvent().subjectId());
                st.setString(9, m.channel());
                st.setString(10, contentJson);
                st.setString(11, status);
                st.setString(12, error);
                st.executeUpdate();
            }
            return find(c, m.messageId());
        }
    }

    /** The recorded message, or null before its first attempt. */
    Row find(String messageId) throws SQLException {
        try (Connection c = db.getConnection()) {
            return find(c, messageId);
        }
    }

    private static Row find(Connection c, String messageId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT status, content::text, attempts FROM message WHERE id = ?")) {
            st.setString(1, messageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getInt(3)) : null;
            }
        }
    }

    void attempted(String messageId) throws SQLException {
        update("UPDATE message SET attempts = attempts + 1, updated_at = now() WHERE id = ?", messageId);
    }

    void sent(String messageId) throws SQLException {
        update("UPDATE message SET status = 'sent', last_error = NULL, sent_at = now(), updated_at = now() WHERE id = ?", messageId);
    }

    void retrying(String messageId, String error) throws SQLException {
        update("UPDATE message SET last_error = ?, updated_at = now() WHERE id = ?", error, messageId);
    }

    /** A message already sent stays sent: a late failure report does not overwrite it. */
    void failed(String messageId, String error) throws SQLException {
        update("UPDATE message SET status = 'failed', last_error = ?, updated_at = now() WHERE id = ? AND status <> 'sent'",
                error, messageId);
    }

    String channelConfig(String projectId, String type) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT config::text FROM channel WHERE project_id = ? AND type = ? ORDER BY created_at LIMIT 1")) {
            st.setString(1, projectId);
            st.setString(2, type);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void update(String sql, String... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }
}
