package dev.journey.api.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.worker.message.MessageStore;

/**
 * A user's in-app inbox: messages handed to the {@code inapp} channel that the user has neither
 * clicked nor closed, newest first (a displayed one stays until then, with {@code displayedAt}).
 */
@Path("/v1/projects/{projectId}/users/{userId}/inapp")
public class InAppResource {
    private static final int MAX = 100;

    @Inject
    MessageStore messages;
    @Inject
    ObjectMapper json;

    public record Inbox(List<Map<String, Object>> messages) {}

    @GET
    @ProjectKey(scope = KeyScope.PUBLISHABLE)
    public Inbox pending(@PathParam("projectId") String projectId, @PathParam("userId") String userId) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MessageStore.InboxEntry e : messages.inbox(projectId, userId, MAX)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messageId", e.messageId());
            m.put("journeyId", e.journeyId());
            m.put("stepId", e.stepId());
            m.put("content", json.readTree(e.content()));
            m.put("createdAt", e.createdAt().toString());
            m.put("displayedAt", e.displayedAt() == null ? null : e.displayedAt().toString());
            out.add(m);
        }
        return new Inbox(out);
    }
}
