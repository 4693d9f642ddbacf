package dev.journey.api.event;

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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import dev.journey.worker.db.Keyset;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionStore;

/**
 * Recent events, newest first, filtered by user, device, type and time, paged by an opaque cursor.
 * Only events received since the project's retention start are listed, and every answer says where
 * that is ({@code retainedFrom}): a {@code since} before it reads an empty stretch, never a silent hole.
 */
@ProjectKey
@Path("/v1/projects/{projectId}/events")
public class EventsResource {
    @Inject
    EventStore store;
    @Inject
    ObjectMapper json;
    @Inject
    RetentionStore retention;

    public record Events(List<Map<String, Object>> events, String nextCursor, String retainedFrom) {}

    @GET
    public Events list(@PathParam("projectId") String projectId, @QueryParam("userId") String userId,
                     @QueryParam("deviceId") String deviceId, @QueryParam("type") String type,
                     @QueryParam("since") String since, @QueryParam("until") String until,
                     @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        int limit = Page.limit(limitParam);
        EventStore.Filter filter = new EventStore.Filter(userId, deviceId, type, since == null ? null : time("since", since),
                until == null ? null : time("until", until));
        Instant retainedFrom = retention.retainedFrom(projectId, Retained.EVENTS, Instant.now());
        Keyset.Page<EventStore.Listed> page = store.recent(projectId, filter, retainedFrom, Page.after(cursor, Page.NUMERIC_ID), limit);
        List<Map<String, Object>> events = new ArrayList<>(page.items().size());
        for (EventStore.Listed e : page.items()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", String.valueOf(e.id()));
            event.put("eventId", e.eventId());
            event.put("subjectType", e.subjectType());
            event.put("subjectId", e.subjectId());
            event.put("type", e.type());
            event.put("data", readTree(e.dataJson()));
            event.put("timestamp", e.occurredAt().toString());
            event.put("receivedAt", e.receivedAt().toString());
            events.add(event);
        }
        return new Events(events, Page.next(page), retainedFrom.toString());
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON: " + e.getOriginalMessage(), e);
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
