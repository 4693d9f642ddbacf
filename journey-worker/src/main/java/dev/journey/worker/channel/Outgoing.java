package dev.journey.worker.channel;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message to hand off: its id (the idempotency key every attempt carries), who it is for, its
 * rendered fields, the user ({id, tags}) whose tags supply addresses, the whole message as one JSON
 * document (what a webhook receives) and the push progress of earlier attempts. {@code unsubscribeUrl}: the user's
 * preference link for the message's topic (e-mail sends it as {@code List-Unsubscribe}), null when the message has none.
 */
public record Outgoing(String messageId, String projectId, String subjectType, String subjectId, JsonNode content,
                       Map<String, Object> user, Map<String, Object> document, PushProgress progress, String unsubscribeUrl) {
    public Outgoing(String messageId, String projectId, String subjectType, String subjectId, JsonNode content,
                    Map<String, Object> user, Map<String, Object> document, PushProgress progress) {
        this(messageId, projectId, subjectType, subjectId, content, user, document, progress, null);
    }

    public String field(String name) {
        JsonNode v = content.get(name);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    public String userId() {
        Object id = user == null ? null : user.get("id");
        return id == null ? null : id.toString();
    }

    /** A recipient address: the rendered {@code to} field, else the user's tag of that name ({@code email}, {@code phone}). */
    public String recipient(String tag) {
        String to = field("to");
        if (to != null) {
            return to.trim();
        }
        Object tags = user == null ? null : user.get("tags");
        Object value = tags instanceof Map<?, ?> m ? m.get(tag) : null;
        return value == null ? null : value.toString().trim();
    }
}
