package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.subject.SubjectStore;
import dev.journey.worker.dsl.JourneyDefinition;

/**
 * The published journeys of each project by trigger event, kept in memory so the dispatcher does
 * not query per event. Dropped on publish, pause and archive in this process, and at most two
 * seconds stale for changes made through another API replica.
 */
@ApplicationScoped
public class PublishedJourneys {
    private static final long TTL_NANOS = 2_000_000_000L;

    public record Published(String journeyId, int version, JourneyDefinition definition) {}

    /** A segment a journey enters on, and the event types whose arrival can change who is in it. */
    public record TrackedSegment(String id, Set<String> watches) {}

    private record Snapshot(long loadedAt, Map<String, List<Published>> byTrigger, List<TrackedSegment> segments) {}

    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    @Inject
    SubjectStore subjects;
    @Inject
    ObjectMapper json;

    public List<Published> triggeredBy(Connection c, String projectId, String eventType) throws SQLException {
        return snapshot(c, projectId).byTrigger().getOrDefault(eventType, List.of());
    }

    private Snapshot snapshot(Connection c, String projectId) throws SQLException {
        Snapshot snapshot = cache.get(projectId);
        if (snapshot == null || System.nanoTime() - snapshot.loadedAt() > TTL_NANOS) {
            snapshot = load(c, projectId);
            cache.put(projectId, snapshot);
        }
        return snapshot;
    }

    public List<TrackedSegment> trackedSegments(Connection c, String projectId) throws SQLException {
        return snapshot(c, projectId).segments();
    }

    public void changed(String projectId) {
        cache.remove(projectId);
    }

    /** The event types a segment counts, and @tags_changed when it reads tags — through the segments it refers to. */
    private Set<String> watches(Connection c, String projectId, String segmentId, int depth) throws SQLException {
        Set<String> types = new HashSet<>();
        if (depth > 8) {
            return types;
        }
        Condition condition = subjects.segment(projectId, segmentId);
        if (condition != null) {
            collect(condition, c, projectId, depth, types);
        }
        return types;
    }

    private void collect(Condition condition, Connection c, String projectId, int depth, Set<String> types) throws SQLException {
        if (condition instanceof Condition.All all) {
            for (Condition part : all.all()) {
                collect(part, c, projectId, depth, types);
            }
        } else if (condition instanceof Condition.Any any) {
            for (Condition part : any.any()) {
                collect(part, c, projectId, depth, types);
            }
        } else if (condition instanceof Condition.Not not) {
            collect(not.not(), c, projectId, depth, types);
        } else if (condition instanceof Condition.EventCount events) {
            types.add(events.event());
        } else if (condition instanceof Condition.Segment ref) {
            types.addAll(watches(c, projectId, ref.segment(), depth + 1));
        } else if (condition instanceof Condition.Compare) {
            types.add("@tags_changed");
        }
    }

    private Snapshot load(Connection c, String projectId) throws SQLException {
        Map<String, List<Published>> byTrigger = new HashMap<>();
        for (Published journey : Sql.list(c, "SELECT j.id, v.version, v.definition::text FROM journey j"
                + " JOIN journey_version v ON v.journey_id = j.id AND v.version = j.published_version"
                + " WHERE j.project_id = ? AND j.status = 'published'",
                rs -> new Published(rs.getString(1), rs.getInt(2), definition(projectId, rs.getString(3))), projectId)) {
            byTrigger.computeIfAbsent(journey.definition().trigger().eventType(), k -> new ArrayList<>()).add(journey);
        }
        List<TrackedSegment> segments = new ArrayList<>();
        for (List<Published> journeys : byTrigger.values()) {
            for (Published journey : journeys) {
                String segmentId = journey.definition().trigger().segment();
                if (segmentId != null && segments.stream().noneMatch(t -> t.id().equals(segmentId))) {
                    segments.add(new TrackedSegment(segmentId, watches(c, projectId, segmentId, 0)));
                }
            }
        }
        return new Snapshot(System.nanoTime(), byTrigger, segments);
    }

    private JourneyDefinition definition(String projectId, String text) {
        try {
            return json.readValue(text, JourneyDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a published journey of " + projectId + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
