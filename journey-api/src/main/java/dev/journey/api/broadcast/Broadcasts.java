package dev.journey.api.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.journey.ArchivedInstances;
import dev.journey.api.journey.JourneyService;
import dev.journey.api.project.ApiKeys;
import dev.journey.api.project.ProjectQuota;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.segment.SegmentStore;

/**
 * Broadcasts: one message to the members of a segment, now or at {@code sendAt}. Each is carried by a
 * journey of its own — trigger {@code @broadcast} for this broadcast, one message step, the send rate
 * as its limit — published when the broadcast is created; {@link BroadcastSender} then writes one
 * {@code @broadcast} event per member. So a broadcast's messages take the journeys' own way: the
 * hand-off with its idempotency key, frequency caps, quiet hours, hold-out and consent, the message
 * log, stats; and a cancel is the journey's archive (messages still waiting for their turn are not sent).
 */
@ApplicationScoped
public class Broadcasts {
    /** The trigger of every broadcast's journey; {@code data.broadcastId} says which broadcast. */
    public static final String EVENT = "@broadcast";
    /** The id of the message step of a broadcast's journey, in its message log and stats. */
    static final String STEP = "message";
    private static final Duration MAX_AHEAD = Duration.ofDays(366);

    @Inject
    JourneyService journeys;
    @Inject
    ArchivedInstances archived;
    @Inject
    SegmentStore segments;
    @Inject
    ObjectMapper json;
    @Inject
    BroadcastSender sender;

    private BroadcastStore store;

    @Inject
    void store(Sql sql) {
        this.store = new BroadcastStore(sql);
    }

    /** Checks the request (400/422 with its paths), counts the audience, and publishes the carrying journey; all or nothing. */
    @Transactional
    public BroadcastStore.Broadcast create(String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a broadcast must be a JSON object", List.of(new ApiError.Detail("",
                    "expected {\"name\", \"segment\", \"message\", \"sendAt\", \"messagesPerMinute\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!List.of("name", "segment", "message", "sendAt", "messagesPerMinute").contains(f)) {
                problems.add(new ApiError.Detail(f, "unknown field; expected name, segment, message, sendAt, messagesPerMinute"));
            }
        });
        String name = body.path("name").isTextual() ? body.path("name").asText() : null;
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add(new ApiError.Detail("name", "must be text of 1 to 200 characters"));
        }
        String segmentId = body.path("segment").isTextual() ? body.path("segment").asText() : null;
        if (segmentId == null) {
            problems.add(new ApiError.Detail("segment", "must be the id of one of the project's segments"));
        }
        if (!body.path("message").isObject()) {
            problems.add(new ApiError.Detail("message", "must be a message step without id and next: {\"channel\", \"template\" or"
                    + " \"templateId\", \"topic\", \"transactional\", \"channelId\", \"translations\", \"defaultLocale\"}"));
        }
        Instant sendAt = sendAt(body.get("sendAt"), problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid broadcast; nothing was created", problems);
        }
        ProjectQuota.BROADCASTS.check(store.count(projectId));
        Condition condition = segments.condition(projectId, segmentId);
        if (condition == null) {
            throw ApiException.unprocessable("unknown segment", List.of(new ApiError.Detail("segment", "no segment " + segmentId + " in this project")));
        }
        String id = ApiKeys.newSecret("bc_").substring(0, 20);
        String journeyId;
        try {
            journeyId = journeys.create(projectId, journey(id, name, body)).id();
        } catch (ApiException e) {
            throw inBroadcastTerms(e);
        }
        journeys.publish(projectId, journeyId);
        store.create(id, projectId, name, segmentId, journeyId, sendAt, segments.count(projectId, condition));
        sender.wake();
        return store.find(projectId, id).orElseThrow();
    }

    public List<BroadcastStore.Broadcast> list(String projectId) {
        return store.list(projectId);
    }

    public BroadcastStore.Broadcast get(String projectId, String id) {
        return store.find(projectId, id).orElseThrow(() -> ApiException.notFound("broadcast " + id));
    }

    /**
     * Stops it: no more members get an entry, and messages not handed off yet (waiting for their turn
     * under the send rate, or in quiet hours) are not sent. A broadcast whose every member has an
     * entry can still be cancelled while messages wait; once all are out there is nothing to stop (409).
     */
    @Transactional
    public BroadcastStore.Broadcast cancel(String projectId, String id, boolean messagesPending) {
        BroadcastStore.Broadcast b = get(projectId, id);
        if (!store.cancel(projectId, id, messagesPending)) {
            throw new ApiException(409, "conflict", "the broadcast is " + b.status() + ": there is nothing left to stop");
        }
        journeys.setStatus(projectId, b.journeyId(), null, JourneyStatus.ARCHIVED);
        archived.wake();
        return get(projectId, id);
    }

    /** The journey that carries the broadcast: its trigger names this broadcast, and its one step is the message. */
    private ObjectNode journey(String id, String name, JsonNode body) {
        ObjectNode journey = json.createObjectNode();
        journey.put("name", "Broadcast: " + name);
        ObjectNode trigger = journey.putObject("trigger");
        trigger.put("event", EVENT);
        trigger.putObject("where").put("path", "data.broadcastId").put("op", "eq").put("value", id);
        journey.putObject("reentry").put("mode", "once");
        if (body.has("messagesPerMinute")) {
            journey.putObject("limits").set("messagesPerMinute", body.get("messagesPerMinute"));
        }
        ObjectNode step = ((ObjectNode) body.get("message")).deepCopy();
        step.put("id", STEP);
        step.put("type", "message");
        step.putNull("next");
        ArrayNode steps = journey.putArray("steps");
        steps.add(step);
        return journey;
    }

    /** The journey's problems named as the broadcast's request names them. */
    private static ApiException inBroadcastTerms(ApiException e) {
        ApiError error = e.toError();
        if (error.details() == null) {
            return e;
        }
        List<ApiError.Detail> details = error.details().stream().map(d -> new ApiError.Detail(path(d.path()), d.message(), d.line(),
                d.column())).toList();
        return new ApiException(e.status(), error.error(), error.message(), details);
    }

    private static String path(String journeyPath) {
        if (journeyPath == null) {
            return null;
        }
        if (journeyPath.startsWith("steps[0].")) {
            return "message." + journeyPath.substring("steps[0].".length());
        }
        if (journeyPath.equals("steps[0]")) {
            return "message";
        }
        if (journeyPath.startsWith("limits.")) {
            return journeyPath.substring("limits.".length());
        }
        return journeyPath;
    }

    private static Instant sendAt(JsonNode given, List<ApiError.Detail> problems) {
        Instant now = Instant.now();
        if (given == null || given.isNull()) {
            return now;
        }
        try {
            Instant at = OffsetDateTime.parse(given.asText()).toInstant();
            if (at.isAfter(now.plus(MAX_AHEAD))) {
                problems.add(new ApiError.Detail("sendAt", "must be within a year"));
            }
            return at.isBefore(now) ? now : at;
        } catch (DateTimeParseException e) {
            problems.add(new ApiError.Detail("sendAt", "must be an ISO-8601 time with an offset, e.g. \"2026-12-24T09:00:00+09:00\", or null for now"));
            return now;
        }
    }

    /** The broadcast as the API shows it, with its journey's stats. */
    Map<String, Object> view(BroadcastStore.Broadcast b, Map<String, Object> stats) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", b.id());
        v.put("name", b.name());
        v.put("status", b.status());
        v.put("segment", b.segmentId());
        v.put("sendAt", b.sendAt().toString());
        v.put("audience", b.audience());
        v.put("enqueued", b.enqueued());
        v.put("error", b.error());
        v.put("journeyId", b.journeyId());
        v.put("createdAt", b.createdAt().toString());
        v.put("startedAt", b.startedAt() == null ? null : b.startedAt().toString());
        v.put("finishedAt", b.finishedAt() == null ? null : b.finishedAt().toString());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("entered", stats.get("entered"));
        s.put("active", stats.get("active"));
        Object messages = ((Map<?, ?>) stats.get("messages")).get(STEP);
        s.put("messages", messages == null ? Map.of() : messages);
        s.put("holdout", stats.get("holdout"));
        s.put("rest", stats.get("rest"));
        v.put("stats", s);
        return v;
    }
}
