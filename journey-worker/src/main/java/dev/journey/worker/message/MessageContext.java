package dev.journey.worker.message;

import java.util.LinkedHashMap;
import java.util.Map;

/** The variables every message template sees: entry_event, user, journey, message. */
final class MessageContext {
    private MessageContext() {}

    static Map<String, Object> of(SendMessage m, Map<String, Object> user) {
        Map<String, Object> journey = new LinkedHashMap<>();
        journey.put("id", m.journeyId());
        journey.put("name", m.journeyName());
        journey.put("version", m.journeyVersion());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("entry_event", m.entryEvent().asMap());
        context.put("user", user);
        context.put("journey", journey);
        context.put("message", Map.of("id", m.messageId(), "channel", m.channel()));
        return context;
    }
}
