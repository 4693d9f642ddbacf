package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.segment.SegmentStore;

/**
 * Keeps the members of the segments that journeys enter on, event by event: when a batch holds an
 * event that a tracked segment's condition looks at (an event type it counts, or a change of tags),
 * that user's membership is checked again with the segment's own query restricted to them. Entering
 * records {@code @segment_entered} in the same transaction; that event starts the journeys. Nothing
 * is recomputed in bulk, so entry follows the event within the dispatcher's latency.
 */
@ApplicationScoped
public class SegmentMembership {
    /** The user and the segment to check, once per batch however many of their events it holds. */
    private record Check(String projectId, String userId, String segmentId, long causeEventId) {}

    @Inject
    PublishedJourneys journeys;
    @Inject
    SegmentStore segments;
    @Inject
    EventStore events;
    @Inject
    ObjectMapper json;

    /** @return how many @segment_entered events it recorded (they wait in the outbox for the next batch) */
    int update(Connection tx, List<Outbox.Claimed> claimed) throws SQLException {
        Set<Check> checks = new LinkedHashSet<>();
        Map<String, Set<String>> seen = new java.util.HashMap<>();
        for (Outbox.Claimed event : claimed) {
            if (!"user".equals(event.subjectType())) {
                continue;
            }
            for (PublishedJourneys.TrackedSegment segment : journeys.trackedSegments(tx, event.projectId())) {
                if (segment.watches().contains(event.type())
                        && seen.computeIfAbsent(segment.id(), k -> new java.util.HashSet<>()).add(event.subjectId())) {
                    checks.add(new Check(event.projectId(), event.subjectId(), segment.id(), event.id()));
                }
            }
        }
        int entered = 0;
        for (Check check : checks) {
            Condition condition = segments.condition(check.projectId(), check.segmentId());
            boolean member = condition != null && segments.contains(check.projectId(), condition, check.userId(), Instant.now());
            if (member && SegmentStore.enter(tx, check.segmentId(), check.userId())) {
                Map<String, Object> data = new LinkedHashMap<>(Map.of("segmentId", check.segmentId(),
                        "causeEventId", String.valueOf(check.causeEventId())));
                // Journeys whose steps caused the cause (its tags changed by a journey) caused this too.
                List<String> causedBy = events.load(tx, List.of(check.causeEventId())).get(check.causeEventId()).causedBy();
                if (!causedBy.isEmpty()) {
                    data.put(EntryEvent.CAUSED_BY, causedBy);
                }
                events.store(tx, check.projectId(), List.of(new NewEvent(
                        EventMatch.SEGMENT_ENTERED + ":" + check.segmentId() + ":" + check.userId() + ":" + check.causeEventId(),
                        "user", check.userId(), EventMatch.SEGMENT_ENTERED, json(data), Instant.now())));
                entered++;
            } else if (!member) {
                SegmentStore.leave(tx, check.segmentId(), check.userId());
            }
        }
        return entered;
    }

    private String json(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
