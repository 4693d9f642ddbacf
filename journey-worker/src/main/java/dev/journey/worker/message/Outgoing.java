package dev.journey.worker.message;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One hand-off: the message, its rendered fields, its channel's configuration, the user it is for
 * ({id, tags}) and what earlier attempts already achieved (push tokens reached), so a retry does
 * not repeat the parts that went through.
 */
public record Outgoing(SendMessage message, JsonNode content, JsonNode config, Map<String, Object> user,
                       JsonNode progress) {
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
