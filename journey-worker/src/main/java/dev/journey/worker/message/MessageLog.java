package dev.journey.worker.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** The {@code message} table: one row per (instance, step), keyed by the message id. */
class MessageLog {
    record Row(String status, String content, int attempts, boolean admitted, String delivery) {}

    record ChannelRow(String id, String type, String config) {}

    record Settings(String json, String linkSecret) {}

    private final DataSource db;

    MessageLog(DataSource db) {
        this.db = db;
    }

    /** Records the message unless it exists (a retry), then returns what is recorded. */
    Row recordOnce(SendMessage m, String contentJson, String status, String error) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO message (id, project_id, journey_id, journey_version, workflow_id, step_id, subject_type,"
                            + " subject_id, channel, content, status, last_error, channel_id, transactional)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
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
                st.setString(13, m.channelId());
                st.setBoolean(14, m.transactional());
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
        try (PreparedStatement st = c.prepareStatement(
                "SELECT status, content::text, attempts, admitted_at IS NOT NULL, delivery::text FROM message WHERE id = ?")) {
            st.setString(1, messageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getString(5)) : null;
            }
        }
    }

    /** Quiet hours: held until then. Only a message not yet admitted can be held (a retry after admission is not held again). */
    void hold(String messageId, Instant until) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "UPDATE message SET status = 'held', held_until = ?, updated_at = now()"
                        + " WHERE id = ? AND status IN ('queued', 'held') AND admitted_at IS NULL")) {
            st.setTimestamp(1, Timestamp.from(until));
            st.setString(2, messageId);
            st.executeUpdate();
        }
    }

    /**
     * Admits the message at {@code now} unless a cap is full. The check and the admission are one
     * transaction under a lock per subject, so two journeys sending to one user at once cannot both
     * take the last place. Returns the status the message has afterwards.
     */
    String admit(SendMessage m, Instant now, List<DeliveryPolicy.Cap> caps) throws SQLException {
        String subjectType = m.entryEvent().subjectType();
        String subjectId = m.entryEvent().subjectId();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    st.setString(1, "caps/" + m.projectId() + "/" + subjectType + "/" + subjectId);
                    st.executeQuery().close();
                }
                Row row = find(c, m.messageId());
                if (row.admitted() || !(row.status().equals("queued") || row.status().equals("held"))) {
                    c.commit();
                    return row.status();
                }
                for (DeliveryPolicy.Cap cap : m.transactional() ? List.<DeliveryPolicy.Cap>of() : caps) {
                    if (!cap.applies(m.channel())) {
                        continue;
                    }
                    long used = count(c, m, cap, now);
                    if (used >= cap.limit()) {
                        update(c, "UPDATE message SET status = 'capped', held_until = NULL, last_error = ?, updated_at = now() WHERE id = ?",
                                "frequency cap: at most " + cap.limit() + " " + cap.channel() + " message(s) per " + cap.period()
                                        + " for this user; " + used + " already", m.messageId());
                        c.commit();
                        return Admission.CAPPED;
                    }
                }
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE message SET status = 'queued', admitted_at = ?, held_until = NULL, updated_at = now() WHERE id = ?")) {
                    st.setTimestamp(1, Timestamp.from(now));
                    st.setString(2, m.messageId());
                    st.executeUpdate();
                }
                c.commit();
                return Admission.QUEUED;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static long count(Connection c, SendMessage m, DeliveryPolicy.Cap cap, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM message WHERE project_id = ? AND subject_type = ? AND subject_id = ?"
                        // No upper bound: concurrent workflows' clocks differ by a little, and an admission
                        // stamped a few ms after this one's "now" still takes a place in the window.
                        + " AND admitted_at IS NOT NULL AND NOT transactional AND admitted_at > ?"
                        + " AND status IN ('queued', 'sent', 'clicked') AND id <> ?"
                        + (cap.channel().equals("all") ? "" : " AND channel = ?"))) {
            st.setString(1, m.projectId());
            st.setString(2, m.entryEvent().subjectType());
            st.setString(3, m.entryEvent().subjectId());
            st.setTimestamp(4, Timestamp.from(now.minus(cap.period())));
            st.setString(5, m.messageId());
            if (!cap.channel().equals("all")) {
                st.setString(6, cap.channel());
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void attempted(String messageId) throws SQLException {
        update("UPDATE message SET attempts = attempts + 1, updated_at = now() WHERE id = ?", messageId);
    }

    /** Sent, with what the provider told (merged into {@code delivery}). In-app messages are "sent" once stored for the user. */
    void sent(String messageId, String deliveryJson) throws SQLException {
        update("UPDATE message SET status = 'sent', last_error = NULL, sent_at = now(), updated_at = now(),"
                + " delivery = delivery || ?::jsonb WHERE id = ? AND status = 'queued'", deliveryJson, messageId);
    }

    void retrying(String messageId, String error) throws SQLException {
        update("UPDATE message SET last_error = ?, updated_at = now() WHERE id = ?", error, messageId);
    }

    /** One push token's outcome, written as soon as it is known so a retry skips the tokens done. */
    void tokenDone(String messageId, String deviceId, String outcome) throws SQLException {
        update("UPDATE message SET delivery = jsonb_set(delivery, '{tokens}',"
                + " coalesce(delivery->'tokens', '{}'::jsonb) || jsonb_build_object(?::text, ?::text)), updated_at = now() WHERE id = ?",
                deviceId, outcome, messageId);
    }

    /** A message already sent stays sent: a late failure report does not overwrite it. */
    void failed(String messageId, String error) throws SQLException {
        failed(messageId, error, "{}");
    }

    void failed(String messageId, String error, String deliveryJson) throws SQLException {
        update("UPDATE message SET status = 'failed', last_error = ?, delivery = delivery || ?::jsonb, updated_at = now()"
                + " WHERE id = ? AND status NOT IN ('sent', 'clicked')", error, deliveryJson, messageId);
    }

    /** The named channel, or every channel of the type (oldest first) when none is named. */
    List<ChannelRow> channels(String projectId, String type, String channelId) throws SQLException {
        String sql = channelId != null
                ? "SELECT id, type, config::text FROM channel WHERE project_id = ? AND id = ?"
                : "SELECT id, type, config::text FROM channel WHERE project_id = ? AND type = ? ORDER BY created_at, id";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, projectId);
            st.setString(2, channelId != null ? channelId : type);
            List<ChannelRow> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChannelRow(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    /** The project's delivery settings, or null when none were ever set. */
    Settings settings(String projectId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT settings::text, link_secret FROM delivery_settings WHERE project_id = ?")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Settings(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    private void update(String sql, String... args) throws SQLException {
        try (Connection c = db.getConnection()) {
            update(c, sql, args);
        }
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }

    /** The current fields of a stored template of the project, or null. */
    Map<String, String> storedTemplate(String projectId, String templateId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT fields::text FROM message_template WHERE project_id = ? AND id = ?")) {
            st.setString(1, projectId);
            st.setString(2, templateId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return FIELDS_READER.readValue(rs.getString(1));
            }
        } catch (java.io.IOException e) {
            throw new SQLException("template " + templateId + " could not be read: " + e.getMessage(), e);
        }
    }

    /** The source of the project's snippet called {@code name}, or null. */
    String snippet(String projectId, String name) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT source FROM snippet WHERE project_id = ? AND name = ?")) {
            st.setString(1, projectId);
            st.setString(2, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("snippet " + name + " could not be read: " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader FIELDS_READER = new com.fasterxml.jackson.databind.ObjectMapper()
            .readerFor(new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
}
