package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.journey.worker.dsl.Condition;
import dev.journey.api.runtime.AfterCommit;
import dev.journey.worker.segment.SegmentStore;
import dev.journey.worker.dsl.JourneyStore;

/**
 * The published journeys of each project by trigger event, kept in memory so the dispatcher does
 * not query per event. Dropped when a publish, pause or archive in this process commits (an event
 * tracked after it sees the change), and at most two seconds stale for changes made through
 * another API replica.
 */
@ApplicationScoped
public class PublishedJourneys {

    /** A segment a journey enters on, and the event types whose arrival can change who is in it. */
    public record TrackedSegment(String id, Set<String> watches) {}

    private record Snapshot(Map<String, List<JourneyStore.Published>> byTrigger, List<TrackedSegment> segments,
                            Map<String, List<JourneyStore.Published>> pausedByTrigger) {}

    private final Cache<String, Snapshot> cache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(2))
            .build();

    /** Changes committed since this process started: a snapshot read across one is not kept. */
    private final AtomicLong changes = new AtomicLong();

    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    SegmentStore segments;
    @Inject
    JourneyStore journeys;

    public List<JourneyStore.Published> triggeredBy(Connection c, String projectId, String eventType) throws SQLException {
        return snapshot(c, projectId).byTrigger().getOrDefault(eventType, List.of());
    }

    /** Paused journeys with this trigger event: they take no entries, and say so in the user's "why not". */
    public List<JourneyStore.Published> pausedTriggeredBy(Connection c, String projectId, String eventType) throws SQLException {
        return snapshot(c, projectId).pausedByTrigger().getOrDefault(eventType, List.of());
    }

    private Snapshot snapshot(Connection c, String projectId) throws SQLException {
        Snapshot snapshot = cache.getIfPresent(projectId);
        if (snapshot == null) {
            long before = changes.get();
            snapshot = load(c, projectId);
            // Read while a change committed: used this once, not kept (it may predate the change).
            if (changes.get() == before) {
                cache.put(projectId, snapshot);
            }
        }
        return snapshot;
    }

    public List<TrackedSegment> trackedSegments(Connection c, String projectId) throws SQLException {
        return snapshot(c, projectId).segments();
    }

    /** The project's journeys change in the current transaction: the copy is dropped once it commits. */
    public void changed(String projectId) {
        AfterCommit.run(transactions, () -> {
            changes.incrementAndGet();
            cache.invalidate(projectId);
        });
    }

    /** The event types a segment counts, and @tags_changed when it reads tags — through the segments it refers to. */
    private Set<String> watches(Connection c, String projectId, String segmentId, int depth) throws SQLException {
        Set<String> types = new HashSet<>();
        if (depth > 8) {
            return types;
        }
        Condition condition = segments.condition(projectId, segmentId);
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
        Map<String, List<JourneyStore.Published>> byTrigger = byTrigger(journeys.published(c, projectId));
        List<TrackedSegment> segments = new ArrayList<>();
        for (List<JourneyStore.Published> triggered : byTrigger.values()) {
            for (JourneyStore.Published journey : triggered) {
                String segmentId = journey.definition().trigger().segment();
                if (segmentId != null && segments.stream().noneMatch(t -> t.id().equals(segmentId))) {
                    segments.add(new TrackedSegment(segmentId, watches(c, projectId, segmentId, 0)));
                }
            }
        }
        return new Snapshot(byTrigger, segments, byTrigger(journeys.paused(c, projectId)));
    }

    private static Map<String, List<JourneyStore.Published>> byTrigger(List<JourneyStore.Published> journeys) {
        Map<String, List<JourneyStore.Published>> byTrigger = new HashMap<>();
        for (JourneyStore.Published journey : journeys) {
            byTrigger.computeIfAbsent(journey.definition().trigger().eventType(), k -> new ArrayList<>()).add(journey);
        }
        return byTrigger;
    }
}
