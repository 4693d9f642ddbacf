package dev.journey.api.event;

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

/** Recent events, newest first, filtered by user, device, type and time, paged by an opaque cursor. */
@Path("/v1/projects/{projectId}/events")
public class EventsResource {
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    public record Events(List<Map<String, Object>> events, String nextCursor) {}

    @GET
    public Events list(@PathParam("projectId") String projectId, @QueryParam("userId") String userId,
                     @QueryParam("deviceId") String deviceId, @QueryParam("type") String type,
                     @QueryParam("since") String since, @QueryParam("until") String until,
                     @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        int limit = Page.limit(limitParam);
        StringBuilder sql = new StringBuilder("SELECT id, event_id, subject_type, subject_id, type, data::text, occurred_at, received_at"
                + " FROM event WHERE project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (userId != null) {
            // A user's events include those of the devices registered to them.
            sql.append(" AND ((subject_type = 'user' AND subject_id = ?) OR (subject_type = 'device' AND subject_id IN"
                    + " (SELECT device_id FROM device WHERE project_id = ? AND user_id = ?)))");
            args.add(userId);
            args.add(projectId);
            args.add(userId);
        }
        if (deviceId != null) {
            sql.append(" AND subject_type = 'device' AND subject_id = ?");
            args.add(deviceId);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (since != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(time("since", since)));
        }
        if (until != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(time("until", until)));
        }
        if (cursor != null) {
            Page.Cursor after = Page.Cursor.decode(cursor);
            sql.append(" AND (occurred_at, id) < (?, ?)");
            args.add(Timestamp.from(after.at()));
            args.add(parseId(after.id()));
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        return query(sql.toString(), args, limit);
    }

    private Events query(String sql, List<Object> args, int limit) {
        List<Map<String, Object>> events = new ArrayList<>();
        String next = null;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            Jdbc.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant occurredAt = rs.getTimestamp(7).toInstant();
                    if (events.size() == limit) {
                        Map<String, Object> last = events.get(events.size() - 1);
                        next = new Page.Cursor(Instant.parse((String) last.get("timestamp")), (String) last.get("id")).encode();
                        break;
                    }
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", String.valueOf(rs.getLong(1)));
                    event.put("eventId", rs.getString(2));
                    event.put("subjectType", rs.getString(3));
                    event.put("subjectId", rs.getString(4));
                    event.put("type", rs.getString(5));
                    event.put("data", json.readTree(rs.getString(6)));
                    event.put("timestamp", occurredAt.toString());
                    event.put("receivedAt", rs.getTimestamp(8).toInstant().toString());
                    events.add(event);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("events could not be listed: " + e.getMessage(), e);
        }
        return new Events(events, next);
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid cursor", List.of(new ApiError.Detail("cursor", "pass nextCursor from the previous page unchanged")));
        }
    }

    private static Instant time(String name, String value) {
        try {
            return EventTimes.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid " + name, List.of(new ApiError.Detail(name, e.getMessage())));
        }
    }
}
