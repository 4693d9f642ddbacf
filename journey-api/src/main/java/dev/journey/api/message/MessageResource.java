package dev.journey.api.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import dev.journey.worker.db.Keyset;
import dev.journey.worker.message.MessageStatus;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionStore;

/**
 * The message log: every message a journey rendered, its status, attempts and last error, newest
 * first, back to the project's retention start ({@code retainedFrom} in every answer).
 */
@ProjectKey
@Path("/v1/projects/{projectId}/messages")
public class MessageResource {
    @Inject
    MessageStore messageStore;
    @Inject
    ObjectMapper json;
    @Inject
    RetentionStore retention;

    public record Messages(List<Map<String, Object>> messages, String nextCursor, String retainedFrom) {}

    @GET
    public Messages list(@PathParam("projectId") String projectId, @QueryParam("userId") String userId,
                         @QueryParam("journeyId") String journeyId, @QueryParam("status") String status,
                         @QueryParam("channel") String channel, @QueryParam("missingTranslation") String missingTranslation,
                         @QueryParam("limit") String limitParam,
                         @QueryParam("cursor") String cursor) throws JsonProcessingException {
        int limit = Page.limit(limitParam);
        MessageStatus wanted = status == null ? null : MessageStatus.of(status).orElseThrow(() -> ApiException.badRequest("unknown status",
                List.of(new ApiError.Detail("status", "must be one of " + MessageStatus.VALUES))));
        if (missingTranslation != null && !missingTranslation.equals("true") && !missingTranslation.equals("false")) {
            throw ApiException.badRequest("invalid missingTranslation", List.of(new ApiError.Detail("missingTranslation", "must be true or false")));
        }
        Instant retainedFrom = retention.retainedFrom(projectId, Retained.MESSAGES, Instant.now());
        Keyset.Page<MessageStore.Entry> page = messageStore.list(projectId,
                new MessageStore.Filter(userId, journeyId, wanted, channel, "true".equals(missingTranslation)), retainedFrom,
                Page.after(cursor, Page.TEXT_ID), limit);
        List<Map<String, Object>> messages = new ArrayList<>();
        for (MessageStore.Entry e : page.items()) {
            messages.add(view(e));
        }
        return new Messages(messages, Page.next(page), retainedFrom.toString());
    }

    private Map<String, Object> view(MessageStore.Entry e) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("journeyId", e.journeyId());
        m.put("journeyVersion", e.journeyVersion());
        m.put("stepId", e.stepId());
        m.put("subjectType", e.subjectType());
        m.put("subjectId", e.subjectId());
        m.put("channel", e.channel());
        m.put("content", e.content() == null ? null : json.readTree(e.content()));
        m.put("status", e.status().value());
        m.put("attempts", e.attempts());
        m.put("error", e.error());
        m.put("createdAt", time(e.createdAt()));
        m.put("updatedAt", time(e.updatedAt()));
        m.put("sentAt", time(e.sentAt()));
        m.put("channelId", e.channelId());
        m.put("transactional", e.transactional());
        m.put("heldUntil", time(e.heldUntil()));
        m.put("delivery", json.readTree(e.delivery()));
        m.put("displayedAt", time(e.displayedAt()));
        m.put("clickedAt", time(e.clickedAt()));
        m.put("closedAt", time(e.closedAt()));
        m.put("openedAt", time(e.openedAt()));
        m.put("locale", e.locale());
        m.put("missingTranslation", e.missingTranslation());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
