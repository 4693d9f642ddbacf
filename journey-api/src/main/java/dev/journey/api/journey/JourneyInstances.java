package dev.journey.api.journey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import dev.journey.worker.Jdbc;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import io.agroal.api.AgroalDataSource;

/** Who is in a journey and how it is doing — from PostgreSQL, where instances keep their state. */
@Path("/v1/projects/{projectId}/journeys/{id}")
public class JourneyInstances {
    private static final Set<String> STATUSES = Set.of("active", "completed", "exited", "converted");

    @Inject
    JourneyService journeys;
    @Inject
    AgroalDataSource db;

    public record Instances(List<Map<String, Object>> instances, String nextCursor) {}

    @GET
    @Path("instances")
    public Instances instances(@PathParam("projectId") String projectId, @PathParam("id") String id,
                               @QueryParam("userId") String userId, @QueryParam("status") String status,
                               @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        journeys.get(projectId, id);
        int limit = Page.limit(limitParam);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("invalid status", List.of(new ApiError.Detail("status", "must be one of " + STATUSES)));
        }
        StringBuilder sql = new StringBuilder("SELECT workflow_id, journey_version, subject_type, subject_id, entry_event_id,"
                + " status, current_step, end_reason, entered_at, ended_at FROM journey_instance WHERE journey_id = ?");
        List<Object> args = new ArrayList<>(List.of(id));
        if (userId != null) {
            sql.append(" AND subject_type = 'user' AND subject_id = ?");
            args.add(userId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (cursor != null) {
            Page.Cursor after = Page.Cursor.decode(cursor);
            sql.append(" AND (entered_at, workflow_id) < (?, ?)");
            args.add(Timestamp.from(after.at()));
            args.add(after.id());
        }
        sql.append(" ORDER BY entered_at DESC, workflow_id DESC LIMIT ?");
        args.add(limit + 1);
        List<Map<String, Object>> rows = new ArrayList<>();
        String next = null;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            Jdbc.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                Timestamp lastEntered = null;
                while (rs.next()) {
                    if (rows.size() == limit) {
                        next = new Page.Cursor(lastEntered.toInstant(), (String) rows.get(limit - 1).get("id")).encode();
                        break;
                    }
                    lastEntered = rs.getTimestamp(9);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getString(1));
                    row.put("journeyVersion", rs.getInt(2));
                    row.put("subjectType", rs.getString(3));
                    row.put("subjectId", rs.getString(4));
                    row.put("entryEventId", String.valueOf(rs.getLong(5)));
                    row.put("status", rs.getString(6));
                    row.put("currentStep", rs.getString(7));
                    row.put("endReason", rs.getString(8));
                    row.put("enteredAt", lastEntered.toInstant().toString());
                    Timestamp ended = rs.getTimestamp(10);
                    row.put("endedAt", ended == null ? null : ended.toInstant().toString());
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("instances could not be listed: " + e.getMessage(), e);
        }
        return new Instances(rows, next);
    }

    /**
     * Entered, active, completed, exited (and by what), converted (and on what), and messages per
     * step by status.
     */
    @GET
    @Path("stats")
    public Map<String, Object> stats(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        journeys.get(projectId, id);
        Map<String, Object> stats = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement st = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE status = 'active'),"
                    + " count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'exited'),"
                    + " count(*) FILTER (WHERE status = 'converted') FROM journey_instance WHERE journey_id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    stats.put("entered", rs.getLong(1));
                    stats.put("active", rs.getLong(2));
                    stats.put("completed", rs.getLong(3));
                    stats.put("exited", rs.getLong(4));
                    stats.put("converted", rs.getLong(5));
                }
            }
            stats.put("exitedBy", countBy(c, "SELECT end_reason, count(*) FROM journey_instance WHERE journey_id = ?"
                    + " AND status = 'exited' GROUP BY end_reason ORDER BY end_reason", id));
            stats.put("convertedBy", countBy(c, "SELECT end_reason, count(*) FROM journey_instance WHERE journey_id = ?"
                    + " AND status = 'converted' GROUP BY end_reason ORDER BY end_reason", id));
            Map<String, Object> steps = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT step_id, status, count(*) FROM message WHERE journey_id = ?"
                    + " GROUP BY step_id, status ORDER BY step_id, status")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> step = (Map<String, Object>) steps.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>());
                        step.put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
            stats.put("messages", steps);
        } catch (SQLException e) {
            throw new IllegalStateException("stats could not be read: " + e.getMessage(), e);
        }
        return stats;
    }

    private static Map<String, Long> countBy(Connection c, String sql, String id) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }
}
