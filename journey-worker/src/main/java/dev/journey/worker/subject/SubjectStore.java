package dev.journey.worker.subject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.Jdbc;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.segment.SegmentSql;

/**
 * What the engine knows about a subject, read and written with plain JDBC so both the API's
 * dispatcher and the worker's activities use the same code: tags, timezone, and event history
 * for conditions such as "purchased since entering".
 */
public class SubjectStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** The most events one history condition reads; enough for "did X" and "did X n times" in journeys. */
    static final int HISTORY_SCAN_LIMIT = 10_000;

    private final DataSource db;
    private final ObjectMapper json;

    public SubjectStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The user a subject stands for: the user itself, or the user a device is registered to (null if none). */
    public String userId(String projectId, String subjectType, String subjectId) {
        if ("user".equals(subjectType)) {
            return subjectId;
        }
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT user_id FROM device WHERE project_id = ? AND device_id = ?")) {
            st.setString(1, projectId);
            st.setString(2, subjectId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("device " + subjectId + " could not be read: " + e.getMessage(), e);
        }
    }

    public Map<String, Object> tags(String projectId, String userId) {
        if (userId == null) {
            return Map.of();
        }
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT tags::text FROM app_user WHERE project_id = ? AND user_id = ?")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? json.readValue(rs.getString(1), MAP) : Map.of();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("tags of " + userId + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * {@code user} as templates and conditions see it — {id, tags, timezone when the user has one}:
     * the one place that builds it, for real sends, previews and conditions alike (the {@code date}
     * filter renders in {@code user.timezone}).
     */
    public Map<String, Object> user(String projectId, String subjectType, String subjectId) {
        String userId = userId(projectId, subjectType, subjectId);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", userId);
        user.put("tags", Map.of());
        if (userId == null) {
            return user;
        }
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT tags::text, timezone FROM app_user WHERE project_id = ? AND user_id = ?")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    user.put("tags", json.readValue(rs.getString(1), MAP));
                    if (rs.getString(2) != null) {
                        user.put("timezone", rs.getString(2));
                    }
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("user " + userId + " could not be read: " + e.getMessage(), e);
        }
        return user;
    }

    /**
     * Merges tags (a null value deletes the tag) and records the system event {@code @tags_changed}
     * in the same transaction, so segments that look at tags are re-evaluated like after any event.
     * Idempotent in effect: a retried activity sets the same values again.
     */
    public void mergeTags(String projectId, String userId, Map<String, Object> tags) {
        try {
            String patch = json.writeValueAsString(tags);
            String changed = json.writeValueAsString(Map.of("changed", tags.keySet()));
            Jdbc.inTransaction(db, c -> {
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO app_user (project_id, user_id, tags) VALUES (?, ?, jsonb_strip_nulls(?::jsonb))"
                                + " ON CONFLICT (project_id, user_id) DO UPDATE"
                                + " SET tags = jsonb_strip_nulls(app_user.tags || ?::jsonb), updated_at = now()")) {
                    st.setString(1, projectId);
                    st.setString(2, userId);
                    st.setString(3, patch);
                    st.setString(4, patch);
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement(
                        "WITH e AS (INSERT INTO event (project_id, subject_type, subject_id, type, data, occurred_at)"
                                + " VALUES (?, 'user', ?, '@tags_changed', ?::jsonb, now()) RETURNING id)"
                                + " INSERT INTO dispatch_outbox (event_id) SELECT id FROM e")) {
                    st.setString(1, projectId);
                    st.setString(2, userId);
                    st.setString(3, changed);
                    st.executeUpdate();
                }
                return null;
            });
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("tags of " + userId + " could not be written: " + e.getMessage(), e);
        }
    }

    /** The user's timezone, else that of their most recently updated device, else the project's default, else UTC. */
    public String timezone(String projectId, String subjectType, String subjectId) {
        String userId = userId(projectId, subjectType, subjectId);
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT coalesce((SELECT timezone FROM app_user WHERE project_id = ? AND user_id = ?),"
                        + " (SELECT timezone FROM device WHERE project_id = ? AND (device_id = ? OR user_id = ?)"
                        + "  AND timezone IS NOT NULL ORDER BY (device_id = ?) DESC, updated_at DESC LIMIT 1),"
                        + " (SELECT timezone FROM project WHERE id = ?), 'UTC')")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            st.setString(3, projectId);
            st.setString(4, "device".equals(subjectType) ? subjectId : null);
            st.setString(5, userId);
            st.setString(6, "device".equals(subjectType) ? subjectId : null);
            st.setString(7, projectId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("timezone could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * The subject's history and segments as {@link Facts}: "since entry" counts from
     * {@code enteredAt}, a duration counts back from {@code now}. Both are read by the SQL that
     * segments use ({@link SegmentSql}), so a journey and a segment never disagree.
     */
    public Facts history(String projectId, String subjectType, String subjectId, Map<String, Object> entryEvent,
                         Instant enteredAt, Instant now) {
        return new Facts() {
            @Override
            public long countEvents(Condition.EventCount condition) {
                return queryLong(SegmentSql.eventCount(projectId, subjectType, subjectId, condition, enteredAt, now, HISTORY_SCAN_LIMIT));
            }

            @Override
            public boolean inSegment(String segmentId) {
                String userId = userId(projectId, subjectType, subjectId);
                Condition condition = segment(projectId, segmentId);
                if (userId == null || condition == null) {
                    return false;
                }
                return queryLong(SegmentSql.users(projectId, condition, userId, now, id -> segment(projectId, id)).exists()) == 1;
            }
        };
    }

    /** A segment's condition, or null when the project has no such segment. */
    public Condition segment(String projectId, String segmentId) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT condition::text FROM segment WHERE project_id = ? AND id = ?")) {
            st.setString(1, projectId);
            st.setString(2, segmentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? json.readValue(rs.getString(1), Condition.class) : null;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("segment " + segmentId + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Runs a one-value query (a count, or EXISTS as 0/1). */
    public long queryLong(SegmentSql.Query query) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(query.sql())) {
            Jdbc.bind(st, query.params());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Object value = rs.getObject(1);
                return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }
}
