package dev.journey.api.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.Jdbc;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import io.agroal.api.AgroalDataSource;

/** The message log: every message a journey rendered, its status, attempts and last error, newest first. */
@Path("/v1/projects/{projectId}/messages")
public class MessageResource {
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    static final List<String> STATUSES = List.of("queued", "sent", "failed", "clicked", "held", "capped");

    public record Messages(List<Map<String, Object>> messages, String nextCursor) {}

    @GET
    public Messages list(@PathParam("projectId") String projectId, @QueryParam("userId") String userId,
                         @QueryParam("journeyId") String journeyId, @QueryParam("status") String status,
                         @QueryParam("channel") String channel, @QueryParam("limit") String limitParam,
                         @QueryParam("cursor") String cursor) {
        int limit = Page.limit(limitParam);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("unknown status", List.of(new ApiError.Detail("status", "must be one of " + STATUSES)));
        }
        StringBuilder sql = new StringBuilder("SELECT id, journey_id, journey_version, step_id, subject_type, subject_id,"
                + " channel, content::text, status, attempts, last_error, created_at, updated_at, sent_at,"
                + " channel_id, transactional, held_until, delivery::text, displayed_at, clicked_at, closed_at"
                + " FROM message WHERE project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (userId != null) {
            sql.append(" AND subject_type = 'user' AND subject_id = ?");
            args.add(userId);
        }
        if (journeyId != null) {
            sql.append(" AND journey_id = ?");
            args.add(journeyId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (channel != null) {
            sql.append(" AND channel = ?");
            args.add(channel);
        }
        if (cursor != null) {
            Page.Cursor after = Page.Cursor.decode(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(Timestamp.from(after.at()));
            args.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);

        List<Map<String, Object>> messages = new ArrayList<>();
        String next = null;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            Jdbc.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                Instant lastCreated = null;
                while (rs.next()) {
                    if (messages.size() == limit) {
                        next = new Page.Cursor(lastCreated, (String) messages.get(limit - 1).get("id")).encode();
                        break;
                    }
                    lastCreated = rs.getTimestamp(12).toInstant();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString(1));
                    m.put("journeyId", rs.getString(2));
                    m.put("journeyVersion", rs.getObject(3));
                    m.put("stepId", rs.getString(4));
                    m.put("subjectType", rs.getString(5));
                    m.put("subjectId", rs.getString(6));
                    m.put("channel", rs.getString(7));
                    m.put("content", rs.getString(8) == null ? null : json.readTree(rs.getString(8)));
                    m.put("status", rs.getString(9));
                    m.put("attempts", rs.getInt(10));
                    m.put("error", rs.getString(11));
                    m.put("createdAt", lastCreated.toString());
                    m.put("updatedAt", rs.getTimestamp(13).toInstant().toString());
                    Timestamp sentAt = rs.getTimestamp(14);
                    m.put("sentAt", sentAt == null ? null : sentAt.toInstant().toString());
                    m.put("channelId", rs.getString(15));
                    m.put("transactional", rs.getBoolean(16));
                    m.put("heldUntil", time(rs.getTimestamp(17)));
                    m.put("delivery", json.readTree(rs.getString(18)));
                    m.put("displayedAt", time(rs.getTimestamp(19)));
                    m.put("clickedAt", time(rs.getTimestamp(20)));
                    m.put("closedAt", time(rs.getTimestamp(21)));
                    messages.add(m);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("messages could not be listed: " + e.getMessage(), e);
        }
        return new Messages(messages, next);
    }

    private static String time(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
