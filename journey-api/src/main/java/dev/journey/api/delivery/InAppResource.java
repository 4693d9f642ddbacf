package dev.journey.api.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

/**
 * A user's in-app inbox: messages handed to the {@code inapp} channel that the user has neither
 * clicked nor closed, newest first (a displayed one stays until then, with {@code displayedAt}).
 */
@Path("/v1/projects/{projectId}/users/{userId}/inapp")
public class InAppResource {
    private static final int MAX = 100;

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    public record Inbox(List<Map<String, Object>> messages) {}

    @GET
    public Inbox pending(@PathParam("projectId") String projectId, @PathParam("userId") String userId) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id, journey_id, step_id, content::text, created_at, displayed_at FROM message"
                        + " WHERE project_id = ? AND subject_id = ? AND subject_type = 'user' AND channel = 'inapp'"
                        + " AND status = 'sent' AND closed_at IS NULL AND clicked_at IS NULL"
                        + " ORDER BY created_at DESC, id DESC LIMIT " + MAX)) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("messageId", rs.getString(1));
                    m.put("journeyId", rs.getString(2));
                    m.put("stepId", rs.getString(3));
                    m.put("content", json.readTree(rs.getString(4)));
                    m.put("createdAt", rs.getTimestamp(5).toInstant().toString());
                    Timestamp displayed = rs.getTimestamp(6);
                    m.put("displayedAt", displayed == null ? null : displayed.toInstant().toString());
                    out.add(m);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("the in-app inbox could not be read: " + e.getMessage(), e);
        }
        return new Inbox(out);
    }
}
