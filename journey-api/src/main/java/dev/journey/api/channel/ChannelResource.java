package dev.journey.api.channel;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.project.ApiKeys;
import dev.journey.worker.dsl.JourneyValidator;

/**
 * The project's delivery channels. A webhook needs an http(s) URL; its signing secret is generated
 * when not given, shown once in the answer to the POST, and never listed afterwards.
 */
@Path("/v1/projects/{projectId}/channels")
public class ChannelResource {
    @Inject
    ObjectMapper json;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a channel must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        String type = body.path("type").asText(null);
        if (type == null || !JourneyValidator.CHANNELS.contains(type)) {
            throw ApiException.badRequest("unsupported channel type", List.of(new ApiError.Detail("type",
                    "must be one of " + JourneyValidator.CHANNELS)));
        }
        ObjectNode config = webhook(body);
        Channel channel = new Channel();
        channel.id = ApiKeys.newSecret("ch_").substring(0, 19);
        channel.projectId = projectId;
        channel.type = type;
        channel.config = json.writeValueAsString(config);
        channel.persist();
        Map<String, Object> view = view(channel);
        view.put("secret", config.get("secret").asText());
        return Response.status(201).entity(view).build();
    }

    @GET
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Channel channel : Channel.<Channel>list("projectId = ?1 order by createdAt", projectId)) {
            out.add(view(channel));
        }
        return out;
    }

    private ObjectNode webhook(JsonNode body) {
        List<ApiError.Detail> problems = new ArrayList<>();
        String url = body.path("url").asText(null);
        try {
            URI uri = url == null ? null : URI.create(url);
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(new ApiError.Detail("url", "must be an absolute http or https URL"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail("url", "must be an absolute http or https URL"));
        }
        JsonNode secret = body.get("secret");
        if (secret != null && !secret.isNull() && (!secret.isTextual() || secret.asText().length() < 16)) {
            problems.add(new ApiError.Detail("secret", "must be a string of at least 16 characters (or leave it out to get one)"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the channel is not valid", problems);
        }
        ObjectNode config = json.createObjectNode();
        config.put("url", url);
        config.put("secret", secret == null || secret.isNull() ? ApiKeys.newSecret("whsec_") : secret.asText());
        return config;
    }

    private Map<String, Object> view(Channel channel) throws JsonProcessingException {
        JsonNode config = json.readTree(channel.config);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", channel.id);
        view.put("type", channel.type);
        view.put("url", config.path("url").asText());
        view.put("createdAt", channel.createdAt);
        return view;
    }
}
