package dev.journey.api.template;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateRenderer;
import io.agroal.api.AgroalDataSource;

/**
 * Renders any template against a given context or a real stored event. A template that does not
 * parse or fails to render is an answer (200 with errors by field, line and column), never a 500.
 */
@Path("/v1/projects/{projectId}/templates/preview")
public class PreviewResource {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    TemplateRenderer templates;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    @POST
    public RenderResult preview(@PathParam("projectId") String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", List.of(new ApiError.Detail("", "expected {\"template\": {...}, \"context\": {...}}")));
        }
        JsonNode template = body.get("template");
        if (template == null || !template.isObject() || template.isEmpty()) {
            throw ApiException.badRequest("nothing to render", List.of(new ApiError.Detail("template", "must be an object of field name to Liquid source")));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        template.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual()) {
                throw ApiException.badRequest("invalid template", List.of(new ApiError.Detail("template." + f.getKey(), "must be a string")));
            }
            fields.put(f.getKey(), f.getValue().asText());
        });
        return templates.renderFields(fields, context(projectId, body));
    }

    private Map<String, Object> context(String projectId, JsonNode body) {
        JsonNode eventId = body.get("eventId");
        if (eventId != null && !eventId.isNull()) {
            return eventContext(projectId, eventId.asText());
        }
        JsonNode context = body.get("context");
        if (context == null || context.isNull()) {
            return Map.of();
        }
        if (!context.isObject()) {
            throw ApiException.badRequest("invalid context", List.of(new ApiError.Detail("context", "must be an object")));
        }
        return json.convertValue(context, MAP);
    }

    /** The variables a journey would see had this event entered it. */
    private Map<String, Object> eventContext(String projectId, String eventId) {
        String sql = "SELECT id, event_id, type, subject_type, subject_id, data::text, occurred_at FROM event"
                + " WHERE project_id = ? AND (event_id = ? OR id = ?) ORDER BY id LIMIT 1";
        long numericId = eventId.matches("\\d{1,18}") ? Long.parseLong(eventId) : -1;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, projectId);
            st.setString(2, eventId);
            st.setLong(3, numericId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.badRequest("unknown event", List.of(new ApiError.Detail("eventId", "no event " + eventId + " in this project")));
                }
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("id", String.valueOf(rs.getLong(1)));
                event.put("eventId", rs.getString(2));
                event.put("type", rs.getString(3));
                event.put("subjectType", rs.getString(4));
                event.put("subjectId", rs.getString(5));
                event.put("data", json.readValue(rs.getString(6), MAP));
                event.put("timestamp", rs.getTimestamp(7).toInstant().toString());
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("id", "user".equals(rs.getString(4)) ? rs.getString(5) : null);
                user.put("tags", Map.of());
                return Map.of("entry_event", event, "user", user);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("event could not be read: " + e.getMessage(), e);
        }
    }
}
