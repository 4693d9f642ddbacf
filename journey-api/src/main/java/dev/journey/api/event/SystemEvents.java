package dev.journey.api.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.api.dispatch.Dispatcher;

/**
 * Automatically collected events ({@code @first_session}, {@code @iam_clicked}, {@code @clicked}
 * …): the engine records them itself, through the same store and dispatcher as client events, so
 * they are listed, catalogued and can trigger journeys. Clients cannot send {@code @} types.
 */
@ApplicationScoped
public class SystemEvents {
    @Inject
    EventStore store;
    @Inject
    Dispatcher dispatcher;
    @Inject
    ObjectMapper json;

    /**
     * @param eventId idempotency key within the project (e.g. {@code "@first_session:" + deviceId}),
     *                so recording the same fact twice stores it once; null for none
     * @return whether it was stored (false: a duplicate)
     */
    public boolean record(String projectId, String subjectType, String subjectId, String type, Map<String, Object> data,
                          String eventId) {
        if (!type.startsWith("@")) {
            throw new IllegalArgumentException("system event types start with '@': " + type);
        }
        String dataJson;
        try {
            dataJson = json.writeValueAsString(data == null ? Map.of() : data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        EventStore.Stored stored = store.store(projectId,
                List.of(new NewEvent(eventId, subjectType, subjectId, type, dataJson, Instant.now())));
        dispatcher.wake();
        return stored.accepted() == 1;
    }
}
