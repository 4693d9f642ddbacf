package dev.journey.api.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

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
 * can hold, so it must not act on messages it cannot name the owner of).
 */
@Path("/v1/projects/{projectId}/inapp/{messageId}/{action}")
public class InAppActionResource {
    private static final List<String> ACTIONS = Arrays.stream(MessageStore.Interaction.values())
            .map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

    @Inject
    Engagement engagement;
    @Inject
    Caller caller;

    @POST
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    public Map<String, Object> act(@PathParam("projectId") String projectId, @PathParam("messageId") String messageId,
                                   @PathParam("action") String action, @QueryParam("userId") String userId) {
        if (!ACTIONS.contains(action)) {
            throw new ApiException(404, "not_found", "unknown in-app action \"" + action + "\"",
                    List.of(new ApiError.Detail("action", "must be one of " + ACTIONS)));
        }
        if (userId == null && caller.publishable()) {
            throw ApiException.badRequest("a publishable key acts only for the user it names",
                    List.of(new ApiError.Detail("userId", "is required with a publishable key: ?userId=<the user whose inbox this is>")));
        }
        // Another user's message is not found rather than forbidden: its id says nothing about whether it exists.
        MessageStore.Summary m = engagement.find(projectId, messageId)
                .filter(found -> ChannelType.INAPP.id().equals(found.channel()))
                .filter(found -> userId == null || ("user".equals(found.subjectType()) && userId.equals(found.subjectId())))
                .orElseThrow(() -> ApiException.notFound("in-app message " + messageId));
        boolean first = engagement.inApp(projectId, m, MessageStore.Interaction.valueOf(action.toUpperCase(Locale.ROOT)));
        return Map.of("messageId", messageId, "event", "@iam_" + action, "recorded", first);
    }
}
