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
 * Keeps the members of the segments that journeys enter or leave on, event by event: when a batch
 * holds an event that a tracked segment's condition looks at (an event type it counts, or a change
 * of tags), that user's membership is checked again with the segment's own query restricted to
 * them. Entering records {@code @segment_entered}, leaving {@code @segment_exited}, in the same
 * transaction; those events start the journeys. Each check also stores when the answer could next
 * change by the clock alone (an event ageing out of a window), for {@link SegmentReconciler}.
 * Nothing is recomputed in bulk, so entry follows the event within the dispatcher's latency.
 */
@ApplicationScoped
public class SegmentMembership {
    /** The user and the segment to check, once per batch however many of their events it holds. */
    private record Check(String projectId, String userId, String segmentId, long causeEventId) {}

    /** Why a membership is asked again: one of the user's events (its id), or the clock (null). */
    record Cause(Long eventId, List<String> causedBy) {
        static final Cause TIME = new Cause(null, List.of());
    }

    @Inject
    PublishedJourneys journeys;
    @Inject
    SegmentStore segments;
    @Inject
    EventStore events;
    @Inject
    ObjectMapper json;

    /** @return how many @segment_entered and @segment_exited events it recorded (they wait in the outbox for the next batch) */
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
        int changed = 0;
        for (Check check : checks) {
            // Journeys whose steps caused the cause (its tags changed by a journey) caused this too.
            List<String> causedBy = events.load(tx, List.of(check.causeEventId())).get(check.causeEventId()).causedBy();
            if (check(tx, check.projectId(), check.segmentId(), check.userId(), new Cause(check.causeEventId(), causedBy))) {
                changed++;
            }
        }
        return changed;
    }

    /**
     * Asks one tracked user's membership now, records the entry or exit it makes, and stores when
     * to ask again if nothing else happens; in the caller's transaction.
     *
     * @return whether the user entered or left (an event was recorded)
     */
    boolean check(Connection tx, String projectId, String segmentId, String userId, Cause cause) throws SQLException {
        Instant now = Instant.now();
        Condition condition = segments.condition(projectId, segmentId);
        boolean member = condition != null && segments.contains(projectId, condition, userId, now);
        boolean timed = condition != null && segments.changesWithTime(projectId, condition);
        if (timed || cause.eventId() == null) {
            // A segment without a window writes nothing per check; a recheck it still has (its
            // condition was edited) is cleared when the reconciler takes it.
            SegmentStore.recheckAt(tx, segmentId, userId, timed ? segments.nextChange(projectId, condition, userId, now) : null);
        }
        String type;
        if (member && SegmentStore.enter(tx, segmentId, userId)) {
            type = EventMatch.SEGMENT_ENTERED;
        } else if (!member && SegmentStore.leave(tx, segmentId, userId) && condition != null) {
            type = EventMatch.SEGMENT_EXITED;
        } else {
            return false;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("segmentId", segmentId);
        if (cause.eventId() != null) {
            data.put("causeEventId", String.valueOf(cause.eventId()));
        } else {
            data.put("by", "time");
        }
        if (!cause.causedBy().isEmpty()) {
            data.put(EntryEvent.CAUSED_BY, cause.causedBy());
        }
        // Idempotent ids: the same cause stores the event once, whichever replica or retry records it.
        String why = cause.eventId() != null ? String.valueOf(cause.eventId()) : "time:" + now.toEpochMilli();
        events.store(tx, projectId, List.of(new NewEvent(type + ":" + segmentId + ":" + userId + ":" + why,
                "user", userId, type, json(data), now)));
        return true;
    }

    private String json(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
