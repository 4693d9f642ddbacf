package dev.journey.api.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.message.MessageStore;

/**
 * {@code POST .../inapp/{messageId}/displayed|clicked|closed} from the app: records
 * {@code @iam_displayed}, {@code @iam_clicked} or {@code @iam_closed} once per message and action
 * ({@code "recorded": false} for a repeat, which changes nothing).
 */
@Path("/v1/projects/{projectId}/inapp/{messageId}/{action}")
public class InAppActionResource {
    private static final List<String> ACTIONS = Arrays.stream(MessageStore.Interaction.values())
            .map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

    @Inject
    Engagement engagement;

    @POST
    public Map<String, Object> act(@PathParam("projectId") String projectId, @PathParam("messageId") String messageId,
                                   @PathParam("action") String action) {
        if (!ACTIONS.contains(action)) {
            throw new ApiException(404, "not_found", "unknown in-app action \"" + action + "\"",
                    List.of(new ApiError.Detail("action", "must be one of " + ACTIONS)));
        }
        MessageStore.Summary m = engagement.find(projectId, messageId)
                .filter(found -> ChannelType.INAPP.id().equals(found.channel()))
                .orElseThrow(() -> ApiException.notFound("in-app message " + messageId));
        boolean first = engagement.inApp(projectId, m, MessageStore.Interaction.valueOf(action.toUpperCase(Locale.ROOT)));
        return Map.of("messageId", messageId, "event", "@iam_" + action, "recorded", first);
    }
}
