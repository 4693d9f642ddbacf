package dev.journey.api.consent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.paging.PagedList;
import dev.journey.api.project.ProjectQuota;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.consent.Topic;

/**
 * A project's subscription topics: what marketing messages are about ("news", "offers"), so users
 * can unsubscribe from one and keep the others. Message steps name one ({@code "topic": "news"}).
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/topics")
public class TopicResource {
    @Inject
    ConsentStore consent;

    @POST
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        Topic topic = valid(body, null);
        ProjectQuota.TOPICS.check(consent.topics(projectId).size());
        if (!consent.create(projectId, topic)) {
            throw new ApiException(409, "conflict", "topic " + topic.id() + " exists");
        }
        return Response.status(201).entity(view(topic)).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        return consent.topics(projectId).stream().map(TopicResource::view).toList();
    }

    @GET
    @Path("{topicId}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("topicId") String topicId) {
        return view(consent.topic(projectId, topicId).orElseThrow(() -> ApiException.notFound("topic " + topicId)));
    }

    @PUT
    @Path("{topicId}")
    public Map<String, Object> update(@PathParam("projectId") String projectId, @PathParam("topicId") String topicId, JsonNode body) {
        Topic topic = valid(body, topicId);
        if (!consent.update(projectId, topic)) {
            throw ApiException.notFound("topic " + topicId);
        }
        return view(topic);
    }

    /** Deletes the topic and users' choices for it; a message step still naming it is then not sent (suppressed, with the reason). */
    @DELETE
    @Path("{topicId}")
    public Response delete(@PathParam("projectId") String projectId, @PathParam("topicId") String topicId) {
        if (!consent.delete(projectId, topicId)) {
            throw ApiException.notFound("topic " + topicId);
        }
        return Response.noContent().build();
    }

    static Map<String, Object> view(Topic t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id());
        v.put("name", t.name());
        v.put("description", t.description());
        v.put("defaultStatus", t.defaultStatus().value());
        return v;
    }

    private static Topic valid(JsonNode body, String fixedId) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Topic topic = Topic.parse(body, fixedId, (path, message) -> problems.add(new ApiError.Detail(path, message)));
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid topic; nothing was changed", problems);
        }
        return topic;
    }
}
