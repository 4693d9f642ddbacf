package dev.journey.api.user;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.KeyScope;
import dev.journey.api.consent.SubscriptionResource;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.dispatch.Dispatcher;
import dev.journey.api.dispatch.NonEntries;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.event.EventValidator;
import dev.journey.api.event.EventsResource;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.subject.SubjectStore;

/** A user as the engine knows them: tags, devices, recent events and journeys. */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/users/{userId}")
public class UserResource {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    SubjectStore subjects;
    @Inject
    EventValidator validator;
    @Inject
    EventsResource events;
    @Inject
    Dispatcher dispatcher;
    @Inject
    InstanceStore instances;
    @Inject
    ObjectMapper json;
    @Inject
    NonEntries nonEntries;
    @Inject
    ConsentStore consent;

    /**
     * Sets tags (same value types as event data; null deletes one); records {@code @tags_changed}. A publishable
     * key may call it too (the Web SDK's {@code setTags}): like tracking, it acts for the user the page names.
     */
    @PUT
    @Path("tags")
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    public Map<String, Object> putTags(@PathParam("projectId") String projectId, @PathParam("userId") String userId, JsonNode body) {
        checkUserId(userId);
        JsonNode tags = body == null ? null : body.get("tags");
        if (tags == null || !tags.isObject() || tags.isEmpty()) {
            throw ApiException.badRequest("no tags", List.of(new ApiError.Detail("tags", "must be an object of tag name to value (null deletes)")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        validator.data(tags, "tags", problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid tags; nothing was changed", problems);
        }
        subjects.mergeTags(projectId, userId, json.convertValue(tags, MAP));
        dispatcher.wake();
        return Map.of("userId", userId, "tags", subjects.tags(projectId, userId));
    }

    @GET
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("userId") String userId) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("userId", userId);
        Optional<SubjectStore.Profile> profile = subjects.profile(projectId, userId);
        user.put("tags", profile.map(SubjectStore.Profile::tags).orElse(Map.of()));
        user.put("timezone", profile.map(SubjectStore.Profile::timezone).orElse(null));
        user.put("createdAt", profile.map(p -> p.createdAt().toString()).orElse(null));
        List<Map<String, Object>> devices = subjects.devices(projectId, userId).stream().map(UserResource::view).toList();
        user.put("devices", devices);
        List<Map<String, Object>> recent = events.list(projectId, userId, null, null, null, null, "20", null).events();
        user.put("recentEvents", recent);
        user.put("journeys", instances.ofUser(projectId, userId, 50).stream().map(UserResource::view).toList());
        user.put("notEntered", nonEntries.ofUser(projectId, userId).stream().map(UserResource::view).toList());
        Map<String, Object> subscriptions = SubscriptionResource.view(consent, projectId, userId);
        user.put("subscriptions", subscriptions.get("topics"));
        if (profile.isEmpty() && devices.isEmpty() && recent.isEmpty() && ((List<?>) subscriptions.get("subscriptions")).isEmpty()) {
            throw ApiException.notFound("user " + userId);
        }
        return user;
    }

    static void checkUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > 256) {
            throw ApiException.badRequest("invalid user id", List.of(new ApiError.Detail("userId", "must be 1 to 256 characters long")));
        }
    }

    private static Map<String, Object> view(SubjectStore.Device device) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("deviceId", device.deviceId());
        d.put("platform", device.platform());
        d.put("hasPushToken", device.hasPushToken());
        d.put("tokenStatus", device.tokenStatus());
        d.put("timezone", device.timezone());
        d.put("createdAt", device.createdAt().toString());
        return d;
    }

    /** Why the user did not enter a journey the last time its trigger event came (and has not entered since). */
    private static Map<String, Object> view(NonEntries.Shown nonEntry) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("journeyId", nonEntry.journeyId());
        n.put("journeyName", nonEntry.journeyName());
        n.put("eventId", nonEntry.eventId());
        n.put("eventType", nonEntry.eventType());
        n.put("reason", nonEntry.reason());
        n.put("detail", nonEntry.detail());
        n.put("at", nonEntry.at().toString());
        return n;
    }

    private static Map<String, Object> view(InstanceStore.Instance instance) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("journeyId", instance.journeyId());
        i.put("journeyName", instance.journeyName());
        i.put("journeyVersion", instance.journeyVersion());
        i.put("status", instance.status().value());
        i.put("currentStep", instance.currentStep());
        i.put("endReason", instance.endReason());
        i.put("enteredAt", instance.enteredAt().toString());
        i.put("endedAt", instance.endedAt() == null ? null : instance.endedAt().toString());
        return i;
    }
}
