package dev.journey.api.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.dispatch.Dispatcher;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.db.Sql;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;

/**
 * Stores a subject's choices and records {@code @subscription_changed} for each one that changed
 * something, in one transaction: journeys can start or branch on an unsubscribe (a win-back, a
 * "sorry to see you go"), and the choice and its event are never one without the other.
 */
@ApplicationScoped
public class Subscriptions {
    public static final String CHANGED = "@subscription_changed";

    @Inject
    Sql sql;
    @Inject
    EventStore events;
    @Inject
    Dispatcher dispatcher;
    @Inject
    ObjectMapper json;

    /** @param source who made the choices: {@code api}, {@code sdk}, {@code link}, {@code page} */
    public void set(String projectId, String subjectType, String subjectId, List<ConsentStore.Change> changes, String source) {
        int recorded = sql.inTransaction(c -> {
            List<ConsentStore.Change> changed = ConsentStore.set(c, projectId, subjectType, subjectId, changes, source);
            List<NewEvent> happened = new ArrayList<>();
            Instant now = Instant.now();
            for (ConsentStore.Change change : changed) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("topic", change.topicId());
                data.put("channel", ConsentStore.ALL_CHANNELS.equals(change.channel()) ? SubscriptionResource.ALL : change.channel());
                data.put("status", change.status().value());
                data.put("source", source);
                happened.add(new NewEvent(null, subjectType, subjectId, CHANGED, write(data), now));
            }
            if (!happened.isEmpty()) {
                events.store(c, projectId, happened);
            }
            return happened.size();
        });
        if (recorded > 0) {
            dispatcher.wake();
        }
    }

    private String write(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
