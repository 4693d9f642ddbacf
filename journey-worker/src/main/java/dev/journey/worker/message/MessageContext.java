package dev.journey.worker.message;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.journey.worker.event.EntryEvent;

/**
 * The variables every message template sees: entry_event, user, journey, fetched (the instance's
 * fetch answers by step id), message ({@code id}, {@code channel}, and {@code unsubscribe_url} when
 * the message has a topic and the project a link base URL). A fetch step's request is rendered with
 * the same, less {@code message}: one builder, so a request and a message read the same names.
 */
public final class MessageContext {
    private MessageContext() {}

    static Map<String, Object> of(SendMessage m, Map<String, Object> user, String unsubscribeUrl) {
        Map<String, Object> context = of(m.journeyId(), m.journeyName(), m.journeyVersion(), m.entryEvent(), user, m.fetched());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", m.messageId());
        message.put("channel", m.channel());
        if (unsubscribeUrl != null) {
            message.put("unsubscribe_url", unsubscribeUrl);
        }
        context.put("message", message);
        return context;
    }

    /** What a step of the journey's instance sees before any message: for a fetch step's URL, headers and body. */
    public static Map<String, Object> of(String journeyId, String journeyName, int journeyVersion, EntryEvent entryEvent,
                                         Map<String, Object> user, Map<String, Object> fetched) {
        Map<String, Object> journey = new LinkedHashMap<>();
        journey.put("id", journeyId);
        journey.put("name", journeyName);
        journey.put("version", journeyVersion);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("entry_event", entryEvent.asMap());
        context.put("user", user);
        context.put("journey", journey);
        context.put("fetched", fetched == null ? Map.of() : fetched);
        return context;
    }
}
