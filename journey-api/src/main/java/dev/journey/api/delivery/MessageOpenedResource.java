package dev.journey.api.delivery;

import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.journey.api.access.Caller;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.message.MessageStore;

/**
 * {@code POST .../messages/{messageId}/opened}: the app reports a push the user tapped (the push's
 * data carries its {@code messageId}), or a backend forwards an e-mail open its provider saw.
 * Records {@code @opened} once per message ({@code "recorded": false} for a repeat). As for in-app
 * actions, {@code ?userId=} names the user whose message it must be: required with a publishable key.
 */
@Path("/v1/projects/{projectId}/messages/{messageId}/opened")
public class MessageOpenedResource {
    private static final Set<String> OPENABLE = Set.of(ChannelType.PUSH.id(), ChannelType.EMAIL.id());

    @Inject
    Engagement engagement;
    @Inject
    Caller caller;

    @POST
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> opened(@PathParam("projectId") String projectId, @PathParam("messageId") String messageId,
                                      @QueryParam("userId") String userId) {
        MessageStore.Summary m = engagement.reported(projectId, messageId, userId, caller.publishable(), OPENABLE,
                "push or e-mail message");
        return Map.of("messageId", messageId, "event", "@opened", "recorded", engagement.opened(projectId, m));
    }
}
