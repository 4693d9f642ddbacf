package dev.journey.api.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.event.SystemEvents;
import dev.journey.worker.message.MessageStore;

/**
 * What users do with messages: in-app displays, clicks and closes, clicks on tracked links, and
 * opens (e-mail pixels, pushes the app reports opened).
 * Each is written on the message (first time only) and recorded as a system event through the
 * normal store and dispatcher, so journeys can start or branch on it. The event id is derived from
 * the message and the action, so a repeated call records nothing new.
 */
@ApplicationScoped
public class Engagement {
    @Inject
    MessageStore messages;
    @Inject
    SystemEvents events;

    public Optional<MessageStore.Summary> find(String projectId, String messageId) {
        return messages.summary(projectId, messageId);
    }

    /**
     * The message an app or a backend reports on: on one of {@code channels} and, when {@code userId}
     * is given, that user's. A publishable key (which anyone can hold) must name the user; another
     * user's message is not found rather than forbidden, since its id says nothing about whether it exists.
     */
    public MessageStore.Summary reported(String projectId, String messageId, String userId, boolean publishable,
                                         Set<String> channels, String what) {
        if (userId == null && publishable) {
            throw ApiException.badRequest("a publishable key acts only for the user it names",
                    List.of(new ApiError.Detail("userId", "is required with a publishable key: ?userId=<the user the message was sent to>")));
        }
        return find(projectId, messageId)
                .filter(found -> channels.contains(found.channel()))
                .filter(found -> userId == null || ("user".equals(found.subjectType()) && userId.equals(found.subjectId())))
                .orElseThrow(() -> ApiException.notFound(what + " " + messageId));
    }

    /** displayed, clicked or closed; returns whether this was the first time. */
    public boolean inApp(String projectId, MessageStore.Summary m, MessageStore.Interaction action) {
        return inApp(projectId, m, action, Map.of());
    }

    /** The same, with what the app says about it (a click's {@code button} and {@code url}) added to the event's data. */
    public boolean inApp(String projectId, MessageStore.Summary m, MessageStore.Interaction action, Map<String, String> detail) {
        messages.interacted(projectId, m.id(), action);
        String event = "@iam_" + action.name().toLowerCase(Locale.ROOT);
        Map<String, Object> data = data(m, null);
        detail.forEach(data::putIfAbsent);
        return events.record(projectId, m.subjectType(), m.subjectId(), event, data, event + ":" + m.id());
    }

    /** A tracked link was followed: the message is clicked, and {@code @clicked} is recorded once per (message, link). */
    public boolean clicked(String projectId, MessageStore.Summary m, String url) {
        messages.interacted(projectId, m.id(), MessageStore.Interaction.CLICKED);
        return events.record(projectId, m.subjectType(), m.subjectId(), "@clicked", data(m, url),
                "@clicked:" + m.id() + ":" + shortHash(url));
    }

    /**
     * The message was opened (an e-mail's pixel loaded, a push the app reports tapped): the message
     * is marked opened, and {@code @opened} is recorded once per message.
     */
    public boolean opened(String projectId, MessageStore.Summary m) {
        messages.interacted(projectId, m.id(), MessageStore.Interaction.OPENED);
        return events.record(projectId, m.subjectType(), m.subjectId(), "@opened", data(m, null), "@opened:" + m.id());
    }

    private static Map<String, Object> data(MessageStore.Summary m, String url) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", m.id());
        data.put("journeyId", m.journeyId());
        data.put("stepId", m.stepId());
        data.put("channel", m.channel());
        if (url != null) {
            data.put("url", url);
        }
        return data;
    }

    private static String shortHash(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
