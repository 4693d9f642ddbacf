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
import dev.journey.templates.Partials;
import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;

/**
 * Renders any template against a given context or a real stored event, with inline
 * {@code partials} first and the project's stored snippets after them. A template that does not
 * parse or fails to render is an answer (200 with errors by field, line and column), and every
 * variable it reads that the context lacks is a warning naming the default used — never a 500.
 */
@Path("/v1/projects/{projectId}/templates/preview")
public class PreviewResource {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    TemplateRenderer templates;
    @Inject
    ProjectTemplates projectTemplates;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;
    @Inject
    SubjectStore subjectStore;

    @POST
    public RenderResult preview(@PathParam("projectId") String projectId, JsonNode body) {
        TemplateRequests.object(body, "{\"template\": {...}, \"context\": {...}}");
        Map<String, String> fields = TemplateRequests.fields(body.get("template"), "template", true);
        Map<String, String> inline = TemplateRequests.fields(body.get("partials"), "partials", false);
        Map<String, Object> context = context(projectId, body);
        return templates.preview(fields, context, Partials.of(inline).orElse(projectTemplates.snippets(projectId)));
    }

    private Map<String, Object> context(String projectId, JsonNode body) {
        JsonNode eventId = body.get("eventId");
        if (eventId != null && !eventId.isNull()) {
            if (!eventId.isTextual() && !eventId.isIntegralNumber()) {
                throw ApiException.badRequest("invalid eventId", List.of(new ApiError.Detail("eventId", "must be a string or a number")));
            }
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

    /** The variables a journey would see had this event entered it, with the user's stored tags and timezone. */
    private Map<String, Object> eventContext(String projectId, String eventId) {
        String sql = "SELECT e.id, e.event_id, e.type, e.subject_type, e.subject_id, e.data::text, e.occurred_at"
                + " FROM event e WHERE e.project_id = ? AND (e.event_id = ? OR e.id = ?) ORDER BY e.id LIMIT 1";
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
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("entry_event", event);
                // The same user a real send sees (SubjectStore.user), so preview and message agree.
                context.put("user", subjectStore.user(projectId, rs.getString(4), rs.getString(5)));
                return context;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("event could not be read: " + e.getMessage(), e);
        }
    }
}
