package dev.journey.api.channel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.project.ProjectQuota;
import dev.journey.worker.channel.ChannelConfig;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.channel.ConfigProblem;
import dev.journey.worker.channel.InvalidChannelException;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.channel.ProjectChannel;
import dev.journey.worker.channel.WebhookConfig;

/**
 * The project's delivery channels: webhook, email (SMTP), push (FCM or APNs), sms (Twilio-compatible)
 * and inapp. Secrets (webhook secret, SMTP password, push credentials, SMS auth token) are written,
 * never read back: a webhook secret generated for you is shown once in the answer to the POST, and
 * a PUT that leaves a secret out keeps the one stored, unless it changes where the secrets go
 * ({@link ChannelConfig#destination()}): then they must be given again (a webhook gets a new one).
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/channels")
public class ChannelResource {
    @Inject
    ChannelStore channels;
    @Inject
    OutboundPolicy outbound;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        ProjectQuota.CHANNELS.check(channels.countIn(projectId));
        ChannelType type = type(body);
        ProjectChannel channel = channels.create(projectId, name(body), config(type, body, null));
        Map<String, Object> view = view(channel);
        if (channel.config() instanceof WebhookConfig webhook && !body.hasNonNull("secret")) {
            view.put("secret", webhook.secret());
        }
        return Response.status(201).entity(view).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        return channels.list(projectId).stream().map(ChannelResource::view).toList();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(find(projectId, id));
    }

    /** Replaces the configuration; the type stays, and secrets left out are kept while the destination stays. */
    @PUT
    @Path("{id}")
    @Transactional
    public Map<String, Object> replace(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
        ProjectChannel channel = find(projectId, id);
        if (body != null && body.hasNonNull("type") && !channel.type().id().equals(body.get("type").asText())) {
            throw ApiException.badRequest("the type of a channel cannot change", List.of(new ApiError.Detail("type",
                    "is " + channel.type() + "; create a new channel for another type")));
        }
        ChannelConfig config = config(channel.type(), body, channel.config());
        Map<String, Object> view = view(channels.replace(projectId, id, name(body), config)
                .orElseThrow(() -> ApiException.notFound("channel " + id)));
        if (config instanceof WebhookConfig webhook && !body.hasNonNull("secret")
                && !(channel.config() instanceof WebhookConfig before && before.secret().equals(webhook.secret()))) {
            // a new URL without a secret got a fresh one: shown this once, as at creation
            view.put("secret", webhook.secret());
        }
        return view;
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        if (!channels.delete(projectId, id)) {
            throw ApiException.notFound("channel " + id);
        }
        return Response.noContent().build();
    }

    private ProjectChannel find(String projectId, String id) {
        return channels.find(projectId, id).orElseThrow(() -> ApiException.notFound("channel " + id));
    }

    private static ChannelType type(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a channel must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        return ChannelType.of(body.path("type").asText(null)).orElseThrow(() -> ApiException.badRequest("unsupported channel type",
                List.of(new ApiError.Detail("type", "must be one of " + ChannelType.IDS))));
    }

    private static String name(JsonNode body) {
        return body != null && body.hasNonNull("name") ? body.get("name").asText() : null;
    }

    /** The configuration as parsed and checked, its destinations included: the outbound policy must let them through. */
    private ChannelConfig config(ChannelType type, JsonNode body, ChannelConfig stored) {
        try {
            ChannelConfig config = ChannelConfig.parse(type, body, stored);
            List<ConfigProblem> refused = outbound.problems(config);
            if (!refused.isEmpty()) {
                throw new InvalidChannelException("the " + type + " channel's destination is refused", refused);
            }
            return config;
        } catch (InvalidChannelException e) {
            throw ApiException.badRequest(e.getMessage(),
                    e.problems().stream().map(p -> new ApiError.Detail(p.path(), p.message())).toList());
        }
    }

    /** The channel without its secrets: {@code secretsSet} names the ones that are stored. */
    private static Map<String, Object> view(ProjectChannel channel) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", channel.id());
        view.put("type", channel.type().id());
        if (channel.name() != null) {
            view.put("name", channel.name());
        }
        Set<String> secrets = ChannelConfig.secretFields(channel.type());
        List<String> secretsSet = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = channel.config().toJson().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (secrets.contains(f.getKey())) {
                secretsSet.add(f.getKey());
            } else if (!f.getKey().equals("timeoutMillis")) {
                view.put(f.getKey(), f.getValue());
            }
        }
        view.put("secretsSet", secretsSet);
        view.put("createdAt", channel.createdAt());
        view.put("updatedAt", channel.updatedAt());
        return view;
    }
}
