package dev.journey.worker.message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables every message template sees: entry_event, user, journey, message ({@code id},
 * {@code channel}, and {@code unsubscribe_url} when the message has a topic and the project a link base URL).
 */
final class MessageContext {
    private MessageContext() {}

    static Map<String, Object> of(SendMessage m, Map<String, Object> user, String unsubscribeUrl) {
        Map<String, Object> journey = new LinkedHashMap<>();
        journey.put("id", m.journeyId());
        journey.put("name", m.journeyName());
        journey.put("version", m.journeyVersion());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("entry_event", m.entryEvent().asMap());
        context.put("user", user);
        context.put("journey", journey);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", m.messageId());
        message.put("channel", m.channel());
        if (unsubscribeUrl != null) {
            message.put("unsubscribe_url", unsubscribeUrl);
        }
        context.put("message", message);
        return context;
    }
}
