package dev.journey.api.catalog;

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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import io.agroal.api.AgroalDataSource;

/**
 * The event catalog. It fills itself: the dispatcher adds each batch of events it claims (source
 * {@code auto}, or {@code system} for {@code @} events), with counts, first and last seen, and the
 * type of each data property. Types can also be declared by hand (source {@code manual}).
 */
@Path("/v1/projects/{projectId}/event-types")
public class EventTypeResource {
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    @GET
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        List<Map<String, Object>> types = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT name, source, description,"
                + " first_seen_at, last_seen_at, count, properties::text FROM event_type WHERE project_id = ? ORDER BY name")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> type = new LinkedHashMap<>();
                    type.put("name", rs.getString(1));
                    type.put("source", rs.getString(2));
                    type.put("description", rs.getString(3));
                    type.put("firstSeenAt", time(rs.getTimestamp(4)));
                    type.put("lastSeenAt", time(rs.getTimestamp(5)));
                    type.put("count", rs.getLong(6));
                    type.put("properties", json.readTree(rs.getString(7)));
                    types.add(type);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("the catalog could not be read: " + e.getMessage(), e);
        }
        return types;
    }

    @POST
    public Response declare(@PathParam("projectId") String projectId, JsonNode body) {
        JsonNode name = body == null ? null : body.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 128) {
            throw ApiException.badRequest("invalid event type", List.of(new ApiError.Detail("name", "must be a string of 1 to 128 characters")));
        }
        if (name.asText().startsWith("@")) {
            throw ApiException.badRequest("invalid event type", List.of(new ApiError.Detail("name", "names starting with '@' are reserved for automatically collected events")));
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull() && !description.isTextual()) {
            throw ApiException.badRequest("invalid event type", List.of(new ApiError.Detail("description", "must be a string")));
        }
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("INSERT INTO event_type (project_id, name,"
                + " source, description) VALUES (?, ?, 'manual', ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, projectId);
            st.setString(2, name.asText());
            st.setString(3, description == null || description.isNull() ? null : description.asText());
            if (st.executeUpdate() == 0) {
                throw new ApiException(409, "conflict", "event type " + name.asText() + " exists");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the event type could not be stored: " + e.getMessage(), e);
        }
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("name", name.asText());
        created.put("source", "manual");
        created.put("description", description == null || description.isNull() ? null : description.asText());
        created.put("count", 0);
        created.put("properties", Map.of());
        return Response.status(201).entity(created).build();
    }

    private static String time(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
