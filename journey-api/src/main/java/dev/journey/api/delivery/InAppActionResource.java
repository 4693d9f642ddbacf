package dev.journey.api.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.Caller;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.message.MessageStore;

/**
 * {@code POST .../inapp/{messageId}/displayed|clicked|closed} from the app: records
 * {@code @iam_displayed}, {@code @iam_clicked} or {@code @iam_closed} once per message and action
 * ({@code "recorded": false} for a repeat, which changes nothing). {@code ?userId=} names the user
 * whose message it must be: optional with a secret key, required with a publishable one (which anyone
 * can hold, so it must not act on messages it cannot name the owner of). A click may say what was clicked:
 * an optional JSON body {@code {"button": "primary", "url": "https://…"}} whose fields join {@code @iam_clicked}'s data.
 */
@Path("/v1/projects/{projectId}/inapp/{messageId}/{action}")
public class InAppActionResource {
    private static final List<String> ACTIONS = Arrays.stream(MessageStore.Interaction.values())
            .map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

    @Inject
    Engagement engagement;
    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    @POST
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> act(@PathParam("projectId") String projectId, @PathParam("messageId") String messageId,
                                   @PathParam("action") String action, @QueryParam("userId") String userId, byte[] body) {
        if (!ACTIONS.contains(action)) {
            throw new ApiException(404, "not_found", "unknown in-app action \"" + action + "\"",
                    List.of(new ApiError.Detail("action", "must be one of " + ACTIONS)));
        }
        MessageStore.Summary m = engagement.reported(projectId, messageId, userId, caller.publishable(),
                java.util.Set.of(ChannelType.INAPP.id()), "in-app message");
        Map<String, String> detail = "clicked".equals(action) ? clickDetail(body) : Map.of();
        boolean first = engagement.inApp(projectId, m, MessageStore.Interaction.valueOf(action.toUpperCase(Locale.ROOT)), detail);
        return Map.of("messageId", messageId, "event", "@iam_" + action, "recorded", first);
    }

    /** {@code button} (≤ 128 characters) and {@code url} (≤ 2048) of a click, both optional; an empty body is none. */
    private Map<String, String> clickDetail(byte[] body) {
        if (body == null || body.length == 0) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON", List.of(new ApiError.Detail("", "expected {\"button\": …, \"url\": …}")));
        }
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", List.of(new ApiError.Detail("", "expected {\"button\": …, \"url\": …}")));
        }
        Map<String, String> detail = new LinkedHashMap<>();
        List<ApiError.Detail> problems = new ArrayList<>();
        for (Map.Entry<String, Integer> field : Map.of("button", 128, "url", 2048).entrySet()) {
            JsonNode value = node.get(field.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > field.getValue()
                    || value.asText().indexOf('\u0000') >= 0) {
                problems.add(new ApiError.Detail(field.getKey(), "must be a string of 1 to " + field.getValue() + " characters"));
            } else {
                detail.put(field.getKey(), value.asText());
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the click is not valid; nothing was recorded", problems);
        }
        return detail;
    }
}
