package dev.journey.api.user;

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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.dispatch.Dispatcher;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.event.EventValidator;
import dev.journey.api.event.EventsResource;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;

/** A user as the engine knows them: tags, devices, recent events and journeys. */
@Path("/v1/projects/{projectId}/users/{userId}")
public class UserResource {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    SubjectStore subjects;
    @Inject
    EventValidator validator;
    @Inject
    EventsResource events;
    @Inject
    Dispatcher dispatcher;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    /** Sets tags (same value types as event data; null deletes one); records {@code @tags_changed}. */
    @PUT
    @Path("tags")
    public Map<String, Object> putTags(@PathParam("projectId") String projectId, @PathParam("userId") String userId, JsonNode body) {
        checkUserId(userId);
        JsonNode tags = body == null ? null : body.get("tags");
        if (tags == null || !tags.isObject() || tags.isEmpty()) {
            throw ApiException.badRequest("no tags", List.of(new ApiError.Detail("tags", "must be an object of tag name to value (null deletes)")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        validator.data(tags, "tags", problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid tags; nothing was changed", problems);
        }
        subjects.mergeTags(projectId, userId, json.convertValue(tags, MAP));
        dispatcher.wake();
        return Map.of("userId", userId, "tags", subjects.tags(projectId, userId));
    }

    @GET
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("userId") String userId) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("userId", userId);
        boolean known;
        try (Connection c = db.getConnection()) {
            known = profile(c, projectId, userId, user);
            List<Map<String, Object>> devices = devices(c, projectId, userId);
            user.put("devices", devices);
            List<Map<String, Object>> recent = events.list(projectId, userId, null, null, null, null, "20", null).events();
            user.put("recentEvents", recent);
            user.put("journeys", journeys(c, projectId, userId));
            known = known || !devices.isEmpty() || !recent.isEmpty();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("user could not be read: " + e.getMessage(), e);
        }
        if (!known) {
            throw ApiException.notFound("user " + userId);
        }
        return user;
    }

    static void checkUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > 256) {
            throw ApiException.badRequest("invalid user id", List.of(new ApiError.Detail("userId", "must be 1 to 256 characters long")));
        }
    }

    private boolean profile(Connection c, String projectId, String userId, Map<String, Object> user)
            throws SQLException, JsonProcessingException {
        try (PreparedStatement st = c.prepareStatement("SELECT tags::text, timezone, created_at FROM app_user WHERE project_id = ? AND user_id = ?")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                boolean found = rs.next();
                user.put("tags", found ? json.readValue(rs.getString(1), MAP) : Map.of());
                user.put("timezone", found ? rs.getString(2) : null);
                user.put("createdAt", found ? rs.getTimestamp(3).toInstant().toString() : null);
                return found;
            }
        }
    }

    private static List<Map<String, Object>> devices(Connection c, String projectId, String userId) throws SQLException {
        List<Map<String, Object>> devices = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT device_id, platform, push_token IS NOT NULL, token_status, timezone,"
                + " created_at FROM device WHERE project_id = ? AND user_id = ? ORDER BY created_at")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("deviceId", rs.getString(1));
                    d.put("platform", rs.getString(2));
                    d.put("hasPushToken", rs.getBoolean(3));
                    d.put("tokenStatus", rs.getString(4));
                    d.put("timezone", rs.getString(5));
                    d.put("createdAt", rs.getTimestamp(6).toInstant().toString());
                    devices.add(d);
                }
            }
        }
        return devices;
    }

    private static List<Map<String, Object>> journeys(Connection c, String projectId, String userId) throws SQLException {
        List<Map<String, Object>> instances = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT i.journey_id, j.name, i.journey_version, i.status, i.current_step,"
                + " i.end_reason, i.entered_at, i.ended_at FROM journey_instance i LEFT JOIN journey j ON j.id = i.journey_id"
                + " WHERE i.project_id = ? AND i.subject_type = 'user' AND i.subject_id = ? ORDER BY i.entered_at DESC LIMIT 50")) {
            st.setString(1, projectId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> i = new LinkedHashMap<>();
                    i.put("journeyId", rs.getString(1));
                    i.put("journeyName", rs.getString(2));
                    i.put("journeyVersion", rs.getInt(3));
                    i.put("status", rs.getString(4));
                    i.put("currentStep", rs.getString(5));
                    i.put("endReason", rs.getString(6));
                    i.put("enteredAt", rs.getTimestamp(7).toInstant().toString());
                    Timestamp ended = rs.getTimestamp(8);
                    i.put("endedAt", ended == null ? null : ended.toInstant().toString());
                    instances.add(i);
                }
            }
        }
        return instances;
    }
}
