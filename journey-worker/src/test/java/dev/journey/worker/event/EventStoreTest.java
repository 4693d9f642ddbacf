package dev.journey.worker.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;

class EventStoreTest {
    private final Sql sql = TestDatabase.sql();
    private final EventStore events = new EventStore(TestDatabase.get(), new ObjectMapper());
    private final Outbox outbox = new Outbox(TestDatabase.get());
    private final EventCatalog catalog = new EventCatalog(TestDatabase.get());
    private final String project = TestProjects.create();

    private static NewEvent event(String eventId, String user, String type, Instant at) {
        return new NewEvent(eventId, "user", user, type, "{\"amount\": 10}", at);
    }

    @Test
    void aBatchIsStoredWithItsOutboxRowsAndARetriedEventIdOnlyOnce() {
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        EventStore.Stored first = events.store(project, List.of(event("e1", "u1", "purchase", t), event("e1", "u1", "purchase", t),
                event(null, "u1", "view", t)));
        assertEquals(new EventStore.Stored(2, 1), first);
        assertEquals(new EventStore.Stored(0, 1), events.store(project, List.of(event("e1", "u1", "purchase", t))));
        long outboxRows = sql.first("SELECT count(*) FROM dispatch_outbox o JOIN event e ON e.id = o.event_id WHERE e.project_id = ?",
                rs -> rs.getLong(1), project).orElseThrow();
        assertEquals(2, outboxRows);

        EntryEvent stored = events.find(project, "e1").orElseThrow();
        assertEquals("purchase", stored.type());
        assertEquals(Map.of("amount", 10), stored.data());
        assertEquals(t.toString(), stored.timestamp());
        assertEquals(stored, events.find(project, String.valueOf(stored.id())).orElseThrow());
        assertTrue(events.find("another-project", "e1").isEmpty());
    }

    @Test
    void aGroupOfRequestsIsOneStatementAndEachRequestGetsItsOwnCounts() {
        Instant t = Instant.parse("2026-05-01T11:00:00Z");
        String other = TestProjects.create();
        List<EventStore.Stored> stored = events.storeAll(List.of(
                new EventStore.Request(project, List.of(event("g1", "u1", "purchase", t), event(null, "u1", "view", t))),
                new EventStore.Request(project, List.of(event("g1", "u1", "purchase", t), event("g2", "u1", "purchase", t))),
                new EventStore.Request(other, List.of(event("g1", "u9", "purchase", t))),
                new EventStore.Request(project, List.of())));
        // The second request's g1 is a repeat of the first's; the same eventId in another project is its own.
        assertEquals(List.of(new EventStore.Stored(2, 0), new EventStore.Stored(1, 1), new EventStore.Stored(1, 0),
                new EventStore.Stored(0, 0)), stored);
        assertEquals(List.of(new EventStore.Stored(0, 2)), events.storeAll(List.of(
                new EventStore.Request(project, List.of(event("g1", "u1", "purchase", t), event("g2", "u1", "purchase", t))))));
        assertEquals(3L, sql.first("SELECT count(*) FROM event WHERE project_id = ?", rs -> rs.getLong(1), project).orElseThrow());
    }

    @Test
    void aReplayStreamsThePeriodsEventsOfTheGivenTypesInTimeOrderUpToItsLimit() {
        Instant t = Instant.parse("2026-05-02T10:00:00Z");
        // Stored out of time order; one before and one at the period's end, one of a type not asked for.
        events.store(project, List.of(event(null, "u1", "open", t.plusSeconds(30)), event(null, "u2", "signup", t.plusSeconds(10)),
                event(null, "u1", "signup", t.minusSeconds(1)), event(null, "u3", "signup", t.plusSeconds(60)),
                event(null, "u1", "view", t.plusSeconds(20)), event(null, "u2", "open", t.plusSeconds(10))));
        List<String> seen = new java.util.ArrayList<>();
        long read = events.replay(project, List.of("signup", "open"), t, t.plusSeconds(60), 100,
                e -> seen.add(e.subjectId() + " " + e.type() + " " + e.timestamp()));
        assertEquals(3, read);
        assertEquals(List.of("u2 signup " + t.plusSeconds(10), "u2 open " + t.plusSeconds(10), "u1 open " + t.plusSeconds(30)), seen);

        List<String> first = new java.util.ArrayList<>();
        assertEquals(2, events.replay(project, List.of("signup", "open"), t, t.plusSeconds(60), 2, e -> first.add(e.type())));
        List<String> stopped = new java.util.ArrayList<>();
        assertEquals(1, events.replay(project, List.of("signup", "open"), t, t.plusSeconds(60), 100, e -> !stopped.add(e.type())));
    }

    @Test
    void claimedRowsAreSkippedByTheNextClaimAndRelaunchedUntilDeleted() {
        events.store(project, List.of(event("c1", "u2", "purchase", Instant.now())));
        List<Outbox.Claimed> claimed = sql.inTransaction(tx -> Outbox.claim(tx, 10_000)).stream()
                .filter(c -> c.projectId().equals(project)).toList();
        assertEquals(1, claimed.size());
        assertTrue(sql.inTransaction(tx -> Outbox.claim(tx, 10_000)).stream().noneMatch(c -> c.projectId().equals(project)));
        assertTrue(outbox.claimedAfter(claimed.get(0).id() - 1, 10).stream().anyMatch(c -> c.id() == claimed.get(0).id()));
        sql.inTransaction(tx -> {
            EventCatalog.count(tx, List.of(claimed.get(0).id()));
            return null;
        });
        outbox.delete(List.of(claimed.get(0).id()));
        assertTrue(outbox.claimedAfter(claimed.get(0).id() - 1, 10).stream().noneMatch(c -> c.id() == claimed.get(0).id()));
        EventCatalog.EventType type = catalog.list(project).get(0);
        assertEquals("purchase", type.name());
        assertEquals("auto", type.source());
        assertEquals(1, type.count());
    }

    @Test
    void aFullCatalogKeepsCountingItsTypesButTakesNoNewOnes() {
        sql.update("INSERT INTO event_type (project_id, name, source) SELECT ?, 'type-' || n, 'manual' FROM generate_series(1, ?) n",
                project, EventCatalog.MAX_TYPES);
        events.store(project, List.of(event("known", "u9", "type-1", Instant.now()), event("new", "u9", "brand-new", Instant.now())));
        List<Long> ids = List.of(events.find(project, "known").orElseThrow().id(), events.find(project, "new").orElseThrow().id());
        sql.inTransaction(tx -> {
            EventCatalog.count(tx, ids);
            return null;
        });
        List<EventCatalog.EventType> types = catalog.list(project);
        assertEquals(EventCatalog.MAX_TYPES, types.size());
        assertEquals(1, types.stream().filter(t -> t.name().equals("type-1")).findFirst().orElseThrow().count());
        assertEquals(EventCatalog.Declared.CATALOG_FULL, catalog.declare(project, "one-more", null));
        assertEquals(EventCatalog.Declared.EXISTS, catalog.declare(project, "type-2", null));
        assertEquals(EventCatalog.Declared.CREATED, catalog.declare(TestProjects.create(), "one-more", null));
    }

    @Test
    void recentEventsPageNewestFirstWithFilters() {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            events.store(project, List.of(event("r" + i, "u3", i % 2 == 0 ? "open" : "click", t.plusSeconds(i))));
        }
        EventStore.Filter all = new EventStore.Filter("u3", null, null, null, null);
        Keyset.Page<EventStore.Listed> first = events.recent(project, all, null, 2);
        assertEquals(List.of("r4", "r3"), first.items().stream().map(EventStore.Listed::eventId).toList());
        assertNotNull(first.next());
        Keyset.Page<EventStore.Listed> second = events.recent(project, all, first.next(), 2);
        assertEquals(List.of("r2", "r1"), second.items().stream().map(EventStore.Listed::eventId).toList());
        Keyset.Page<EventStore.Listed> last = events.recent(project, all, second.next(), 2);
        assertEquals(List.of("r0"), last.items().stream().map(EventStore.Listed::eventId).toList());
        assertNull(last.next());
        EventStore.Filter opens = new EventStore.Filter(null, null, "open", t.plusSeconds(1), t.plusSeconds(4));
        assertEquals(List.of("r2"), events.recent(project, opens, null, 10).items().stream().map(EventStore.Listed::eventId).toList());
    }
}
