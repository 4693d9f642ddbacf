package dev.journey.api.journey;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.api.error.NoNul;

@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/journeys")
public class JourneyResource {
    @Inject
    JourneyService journeys;
    @Inject
    ObjectMapper json;
    @Inject
    ArchivedInstances archived;

    /** A journey as the API shows it (named for the OpenAPI document, where "View" would say nothing). */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "Journey")
    public record View(String id, String name, JourneyStatus status, Integer publishedVersion, JsonNode definition,
                       Instant createdAt, Instant updatedAt) {}

    @POST
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        return Response.status(201).entity(view(journeys.create(projectId, body))).build();
    }

    @GET
    @PagedList
    public List<View> list(@PathParam("projectId") String projectId) {
        return journeys.list(projectId).stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public View get(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(journeys.get(projectId, id));
    }

    @PUT
    @Path("{id}")
    public View update(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
        return view(journeys.update(projectId, id, body));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        journeys.delete(projectId, id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/publish")
    public View publish(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(journeys.publish(projectId, id));
    }

    /** Stops new entries; instances already inside go on to the end, as in Braze and Customer.io. */
    @POST
    @Path("{id}/pause")
    public View pause(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(journeys.setStatus(projectId, id, JourneyStatus.PUBLISHED, JourneyStatus.PAUSED));
    }

    @POST
    @Path("{id}/resume")
    public View resume(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(journeys.setStatus(projectId, id, JourneyStatus.PAUSED, JourneyStatus.PUBLISHED));
    }

    /**
     * Ends the journey: no new entries, and every running instance exits (reason "archived") —
     * stopped in the background by {@link ArchivedInstances}, so the answer does not wait for them.
     */
    @POST
    @Path("{id}/archive")
    public View archive(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        JourneyStore.Journey journey = journeys.setStatus(projectId, id, null, JourneyStatus.ARCHIVED);
        archived.wake();
        return view(journey);
    }

    private View view(JourneyStore.Journey j) {
        try {
            return new View(j.id(), j.name(), j.status(), j.publishedVersion(), json.readTree(j.definitionJson()), j.createdAt(),
                    j.updatedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
