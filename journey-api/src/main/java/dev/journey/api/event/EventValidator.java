package dev.journey.api.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.error.ApiError;
import dev.journey.worker.event.NewEvent;
import dev.journey.api.error.ApiException;

/**
 * Checks a whole track request and reports every problem with its JSON path, so nothing is stored
 * unless everything is valid.
 */
@ApplicationScoped
public class EventValidator {
    private static final Set<String> SUBJECT_TYPES = Set.of("user", "device");

    @Inject
    TrackLimits limits;
    @Inject
    ObjectMapper json;

    public List<NewEvent> validate(JsonNode root, Instant receivedAt) {
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode events = root == null ? null : root.get("events");
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", List.of(new ApiError.Detail("", "expected {\"events\": [...]}")));
        }
        if (events == null || !events.isArray()) {
            throw ApiException.badRequest("\"events\" must be an array", List.of(new ApiError.Detail("events", "is required and must be an array of events")));
        }
        if (events.isEmpty()) {
            throw ApiException.badRequest("no events were sent", List.of(new ApiError.Detail("events", "must hold at least one event")));
        }
        if (events.size() > limits.maxEvents()) {
            throw ApiException.badRequest("too many events", List.of(new ApiError.Detail("events",
                    "at most " + limits.maxEvents() + " events per request; got " + events.size())));
        }
        List<NewEvent> valid = new ArrayList<>(events.size());
        int invalidEvents = 0;
        for (int i = 0; i < events.size(); i++) {
            int before = problems.size();
            NewEvent event = event(events.get(i), "events[" + i + "]", receivedAt, problems);
            if (problems.size() > before) {
                invalidEvents++;
            } else {
                valid.add(event);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(invalidEvents + (invalidEvents == 1 ? " event is" : " events are")
                    + " invalid; nothing was stored", problems);
        }
        return valid;
    }

    private NewEvent event(JsonNode node, String path, Instant receivedAt, List<ApiError.Detail> problems) {
        if (!node.isObject()) {
            problems.add(new ApiError.Detail(path, "must be an object"));
            return null;
        }
        String subjectType = text(node, "subjectType", path, 1, 16, problems);
        if (subjectType != null && !SUBJECT_TYPES.contains(subjectType)) {
            problems.add(new ApiError.Detail(path + ".subjectType", "must be \"user\" or \"device\""));
        }
        String subjectId = text(node, "subjectId", path, 1, 256, problems);
        String type = text(node, "type", path, 1, 128, problems);
        if (type != null && type.startsWith("@")) {
            problems.add(new ApiError.Detail(path + ".type", "names starting with '@' are reserved for automatically collected events"));
        }
        String eventId = null;
        JsonNode eventIdNode = node.get("eventId");
        if (eventIdNode != null && !eventIdNode.isNull()) {
            eventId = text(node, "eventId", path, 1, 128, problems);
        }
        Instant occurredAt = receivedAt;
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull()) {
            try {
                occurredAt = EventTimes.parse(timestamp);
            } catch (IllegalArgumentException e) {
                problems.add(new ApiError.Detail(path + ".timestamp", e.getMessage()));
            }
        }
        JsonNode data = node.get("data");
        String dataJson = "{}";
        if (data != null && !data.isNull()) {
            if (!data.isObject()) {
                problems.add(new ApiError.Detail(path + ".data", "must be an object"));
            } else {
                data(data, path + ".data", problems);
                dataJson = write(data);
                if (dataJson.length() > limits.maxEventBytes()) {
                    problems.add(new ApiError.Detail(path + ".data", "is " + dataJson.length()
                            + " bytes; an event's data may hold at most " + limits.maxEventBytes()));
                }
            }
        }
        return new NewEvent(eventId, subjectType, subjectId, type, dataJson, occurredAt);
    }

    /** The value rules of event data, shared with user tags: flat values, arrays all strings or all numbers. */
    public void data(JsonNode data, String path, List<ApiError.Detail> problems) {
        if (data.size() > limits.maxDataKeys()) {
            problems.add(new ApiError.Detail(path, "has " + data.size() + " keys; at most " + limits.maxDataKeys() + " are allowed"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().isEmpty()) {
                problems.add(new ApiError.Detail(at, "keys must not be empty"));
            } else if (field.getKey().indexOf('\u0000') >= 0) {
                problems.add(new ApiError.Detail(at, NO_NUL));
            } else if (value.isTextual() && value.asText().indexOf('\u0000') >= 0) {
                problems.add(new ApiError.Detail(at, NO_NUL));
            } else if (!finite(value)) {
                problems.add(new ApiError.Detail(at, NOT_FINITE));
            } else if (value.isObject()) {
                problems.add(new ApiError.Detail(at, "nested objects are not allowed; use flat keys such as \"" + field.getKey() + "_id\""));
            } else if (value.isArray()) {
                array(value, at, problems);
            }
        }
    }

    private static void array(JsonNode array, String path, List<ApiError.Detail> problems) {
        boolean strings = true;
        boolean numbers = true;
        int i = 0;
        for (JsonNode item : array) {
            strings &= item.isTextual();
            numbers &= item.isNumber();
            if (item.isTextual() && item.asText().indexOf('\u0000') >= 0) {
                problems.add(new ApiError.Detail(path + "[" + i + "]", NO_NUL));
            } else if (!finite(item)) {
                problems.add(new ApiError.Detail(path + "[" + i + "]", NOT_FINITE));
            }
            i++;
        }
        if (!strings && !numbers) {
            problems.add(new ApiError.Detail(path, "array elements must be all strings or all numbers"));
        }
    }

    /** 1e400 reads as Infinity, which JSON cannot hold: it would be stored as the string "Infinity". */
    private static final String NOT_FINITE = "must be a number within the range of a double (about ±1.8e308)";

    private static boolean finite(JsonNode value) {
        return !value.isFloatingPointNumber() || Double.isFinite(value.asDouble());
    }

    /** PostgreSQL stores no NUL character in text or jsonb: refused here with its path, not as a 500 there. */
    private static final String NO_NUL = "must not contain the NUL character (\\u0000)";

    private static String text(JsonNode event, String field, String path, int min, int max, List<ApiError.Detail> problems) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            problems.add(new ApiError.Detail(path + "." + field, "is required"));
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new ApiError.Detail(path + "." + field, "must be a string"));
            return null;
        }
        String value = node.asText();
        if (value.indexOf('\u0000') >= 0) {
            problems.add(new ApiError.Detail(path + "." + field, NO_NUL));
            return null;
        }
        if (value.length() < min || value.length() > max) {
            problems.add(new ApiError.Detail(path + "." + field, "must be " + min + " to " + max + " characters long"));
            return null;
        }
        return value;
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
