package dev.journey.api.consent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.Caller;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.consent.SubscriptionStatus;
import dev.journey.worker.consent.Topic;

/**
 * A user's subscriptions: per topic, subscribed or not on every channel ({@code "channel": "all"}) or
 * on one. What a send applies is the user's choice for the message's channel, else their choice for
 * all channels, else the topic's default.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/users/{userId}/subscriptions")
public class SubscriptionResource {
    /** Choices in one request: a preference page's worth, with room. */
    static final int MAX_CHANGES = 100;
    static final String ALL = "all";

    @Inject
    ConsentStore consent;
    @Inject
    Caller caller;
    @Inject
    Subscriptions subscriptions;

    @GET
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("userId") String userId) {
        return view(consent, projectId, userId);
    }

    /**
     * Stores the choices (all or none). A publishable key may call it too (the SDKs' {@code setSubscription}):
     * like tracking and tags, it acts for the user the app names.
     */
    @PUT
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    public Map<String, Object> put(@PathParam("projectId") String projectId, @PathParam("userId") String userId, JsonNode body) {
        if (userId.isEmpty() || userId.length() > 256) {
            throw ApiException.badRequest("invalid user id", List.of(new ApiError.Detail("userId", "must be 1 to 256 characters long")));
        }
        List<ConsentStore.Change> changes = changes(projectId, body);
        subscriptions.set(projectId, "user", userId, changes, caller.publishable() ? "sdk" : "api");
        return view(consent, projectId, userId);
    }

    private List<ConsentStore.Change> changes(String projectId, JsonNode body) {
        JsonNode list = body == null ? null : body.get("subscriptions");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CHANGES) {
            throw ApiException.badRequest("no subscriptions", List.of(new ApiError.Detail("subscriptions",
                    "must be an array of 1 to " + MAX_CHANGES + " {\"topic\", \"channel\", \"status\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        List<ConsentStore.Change> changes = new ArrayList<>();
        Set<String> topics = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String path = "subscriptions[" + i + "]";
            String topic = item.path("topic").isTextual() ? item.path("topic").asText() : null;
            if (topic == null || !Topic.ID.matcher(topic).matches()) {
                problems.add(new ApiError.Detail(path + ".topic", "must be the id of one of the project's topics"));
            } else {
                topics.add(topic);
            }
            JsonNode channel = item.get("channel");
            String stored = ConsentStore.ALL_CHANNELS;
            if (channel != null && !channel.isNull() && !ALL.equals(channel.asText())) {
                if (!channel.isTextual() || ChannelType.of(channel.asText()).isEmpty()) {
                    problems.add(new ApiError.Detail(path + ".channel", "must be \"all\" (the default) or one of " + ChannelType.IDS));
                }
                stored = channel.asText();
            }
            SubscriptionStatus status = item.path("status").isTextual() ? SubscriptionStatus.of(item.path("status").asText()).orElse(null) : null;
            if (status == null) {
                problems.add(new ApiError.Detail(path + ".status", "must be \"subscribed\" or \"unsubscribed\""));
            }
            changes.add(new ConsentStore.Change(topic, stored, status));
        }
        if (problems.isEmpty()) {
            Set<String> known = new HashSet<>(consent.existing(projectId, new ArrayList<>(topics)));
            for (int i = 0; i < changes.size(); i++) {
                if (!known.contains(changes.get(i).topicId())) {
                    problems.add(new ApiError.Detail("subscriptions[" + i + "].topic", "no topic " + changes.get(i).topicId() + " in this project"));
                }
            }
            if (!problems.isEmpty()) {
                throw ApiException.unprocessable("unknown topics; nothing was changed", problems);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid subscriptions; nothing was changed", problems);
        }
        return changes;
    }

    /**
     * Every topic of the project as it applies to the user: {@code status} on all channels, the
     * channels where they chose otherwise, and the choices as stored (who made them, when).
     */
    public static Map<String, Object> view(ConsentStore consent, String projectId, String userId) {
        List<ConsentStore.Subscription> stored = consent.subscriptions(projectId, "user", userId);
        List<Map<String, Object>> topics = new ArrayList<>();
        for (Topic t : consent.topics(projectId)) {
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("topic", t.id());
            topic.put("name", t.name());
            SubscriptionStatus all = t.defaultStatus();
            Map<String, Object> channels = new LinkedHashMap<>();
            for (ConsentStore.Subscription s : stored) {
                if (s.topicId().equals(t.id())) {
                    if (ConsentStore.ALL_CHANNELS.equals(s.channel())) {
                        all = s.status();
                    } else {
                        channels.put(s.channel(), s.status().value());
                    }
                }
            }
            topic.put("status", all.value());
            topic.put("channels", channels);
            topics.add(topic);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("userId", userId);
        view.put("topics", topics);
        view.put("subscriptions", stored.stream().map(s -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("topic", s.topicId());
            v.put("channel", ConsentStore.ALL_CHANNELS.equals(s.channel()) ? ALL : s.channel());
            v.put("status", s.status().value());
            v.put("source", s.source());
            v.put("updatedAt", s.updatedAt().toString());
            return v;
        }).toList());
        return view;
    }
}
