package dev.journey.api.catalog;

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

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.worker.event.EventCatalog;

/**
 * The event catalog. It fills itself: the dispatcher adds each batch of events it claims (source
 * {@code auto}, or {@code system} for {@code @} events), with counts, first and last seen, and the
 * type of each data property. Types can also be declared by hand (source {@code manual}).
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/event-types")
public class EventTypeResource {
    @Inject
    EventCatalog catalog;
    @Inject
    ObjectMapper json;

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (EventCatalog.EventType t : catalog.list(projectId)) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("name", t.name());
            type.put("source", t.source());
            type.put("description", t.description());
            type.put("firstSeenAt", t.firstSeenAt() == null ? null : t.firstSeenAt().toString());
            type.put("lastSeenAt", t.lastSeenAt() == null ? null : t.lastSeenAt().toString());
            type.put("count", t.count());
            type.put("properties", readTree(t.propertiesJson()));
            types.add(type);
        }
        return types;
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON: " + e.getOriginalMessage(), e);
        }
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
        switch (catalog.declare(projectId, name.asText(), description == null || description.isNull() ? null : description.asText())) {
            case EXISTS -> throw new ApiException(409, "conflict", "event type " + name.asText() + " exists");
            case CATALOG_FULL -> throw ApiException.unprocessable("the event catalog is full", List.of(new ApiError.Detail("name",
                    "a project's catalog holds at most " + EventCatalog.MAX_TYPES + " event types")));
            case CREATED -> { }
        }
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("name", name.asText());
        created.put("source", "manual");
        created.put("description", description == null || description.isNull() ? null : description.asText());
        created.put("count", 0);
        created.put("properties", Map.of());
        return Response.status(201).entity(created).build();
    }
}
