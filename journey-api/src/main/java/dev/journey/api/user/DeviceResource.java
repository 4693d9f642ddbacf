package dev.journey.api.user;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.dispatch.Dispatcher;
import dev.journey.api.error.NoNul;
import dev.journey.worker.subject.SubjectStore;

/**
 * Registers a device (or updates it). The first registration of a device records
 * {@code @first_session} — exactly once per device, by an idempotency key — on the device, linked
 * to the user when known; it can start a welcome journey like any event.
 */
@NoNul
@Path("/v1/projects/{projectId}/devices")
public class DeviceResource {
    private static final Set<String> PLATFORMS = Set.of("ios", "android", "web");

    @Inject
    SubjectStore subjects;
    @Inject
    Dispatcher dispatcher;

    @POST
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    public Response register(@PathParam("projectId") String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a device must be a JSON object", List.of(new ApiError.Detail("", "expected {\"deviceId\", \"platform\", …}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        String deviceId = text(body, "deviceId", true, 256, problems);
        String userId = text(body, "userId", false, 256, problems);
        String platform = text(body, "platform", true, 16, problems);
        String pushToken = text(body, "pushToken", false, 4096, problems);
        String timezone = text(body, "timezone", false, 64, problems);
        if (platform != null && !PLATFORMS.contains(platform)) {
            problems.add(new ApiError.Detail("platform", "must be one of " + PLATFORMS));
        }
        if (timezone != null) {
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                problems.add(new ApiError.Detail("timezone", "not a timezone: use an IANA name such as \"Asia/Seoul\""));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the device is not valid; nothing was stored", problems);
        }
        boolean first = subjects.registerDevice(projectId, deviceId, userId, platform, pushToken, timezone);
        if (first) {
            dispatcher.wake();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deviceId", deviceId);
        view.put("userId", userId);
        view.put("platform", platform);
        view.put("timezone", timezone);
        view.put("firstSession", first);
        return Response.status(first ? 201 : 200).entity(view).build();
    }

    private static String text(JsonNode body, String field, boolean required, int max, List<ApiError.Detail> problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(new ApiError.Detail(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > max) {
            problems.add(new ApiError.Detail(field, "must be a string of 1 to " + max + " characters"));
            return null;
        }
        return node.asText();
    }
}
