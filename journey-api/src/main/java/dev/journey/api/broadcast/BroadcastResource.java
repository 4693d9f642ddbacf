package dev.journey.api.broadcast;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.NoNul;
import dev.journey.api.journey.JourneyInstances;
import dev.journey.api.paging.PagedList;

/**
 * {@code …/broadcasts}: one message to a segment, now or at {@code sendAt}, throttled by
 * {@code messagesPerMinute}, cancellable; see {@link Broadcasts}.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/broadcasts")
public class BroadcastResource {
    @Inject
    Broadcasts broadcasts;
    @Inject
    JourneyInstances instances;

    @POST
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        return Response.status(201).entity(view(projectId, broadcasts.create(projectId, body))).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        return broadcasts.list(projectId).stream().map(b -> view(projectId, b)).toList();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(projectId, broadcasts.get(projectId, id));
    }

    @POST
    @Path("{id}/cancel")
    public Map<String, Object> cancel(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        BroadcastStore.Broadcast b = broadcasts.get(projectId, id);
        long active = ((Number) instances.stats(projectId, b.journeyId()).get("active")).longValue();
        return view(projectId, broadcasts.cancel(projectId, id, active > 0));
    }

    private Map<String, Object> view(String projectId, BroadcastStore.Broadcast b) {
        return broadcasts.view(b, instances.stats(projectId, b.journeyId()));
    }
}
