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
    void aBatchIsStoredWithOneOutboxRowAndARetriedEventIdOnlyOnce() {
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        EventStore.Stored first = events.store(project, List.of(event("e1", "u1", "purchase", t), event("e1", "u1", "purchase", t),
                event(null, "u1", "view", t)));
        assertEquals(new EventStore.Stored(2, 1), first);
        assertEquals(new EventStore.Stored(0, 1), events.store(project, List.of(event("e1", "u1", "purchase", t))));
        long pending = sql.first("SELECT count(*) FROM dispatch_pending p JOIN event e ON e.id = p.event_id WHERE e.project_id = ?",
                rs -> rs.getLong(1), project).orElseThrow();
        assertEquals(2, pending);
        assertEquals(List.of(2L), sql.list("SELECT a.events FROM dispatch_arrival a JOIN event e ON e.id = a.event_ids[1]"
                        + " WHERE e.project_id = ?", rs -> rs.getLong(1), project),
                "one arrival row for the two events of the request, none for a request of duplicates only");

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
        List<Outbox.Claimed> claimed = sql.inTransaction(tx -> {
            List<Outbox.Claimed> mine = claimedOfProject(tx);
            Outbox.settle(tx, mine.stream().map(Outbox.Claimed::id).toList(), List.of()); // to be launched after the commit
            return mine;
        });
        assertEquals(1, claimed.size());
        assertTrue(sql.inTransaction(Claims::all).stream().noneMatch(c -> c.projectId().equals(project)));
        assertTrue(outbox.claimedAfter(claimed.get(0).id() - 1, 10).stream().anyMatch(c -> c.id() == claimed.get(0).id()));
        sql.inTransaction(tx -> {
            EventCatalog.count(tx, List.of(claimed.get(0)));
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
    void aSettledClaimDeletesTheEventsThatLaunchNothingAndMarksTheOthers() {
        events.store(project, List.of(event("s1", "u1", "purchase", Instant.now()), event("s2", "u1", "view", Instant.now())));
        List<Long> ids = sql.inTransaction(tx -> {
            List<Long> mine = claimedOfProject(tx).stream().map(Outbox.Claimed::id).toList();
            Outbox.settle(tx, List.of(mine.get(0)), List.of(mine.get(1)));
            return mine;
        });
        assertEquals(2, ids.size());
        assertEquals(List.of(ids.get(0)), outbox.claimedAfter(ids.get(0) - 1, 10).stream().map(Outbox.Claimed::id)
                .filter(ids::contains).toList());
        assertEquals(1L, sql.first("SELECT count(*) FROM dispatch_outbox WHERE event_id = ANY(?)", rs -> rs.getLong(1),
                Sql.array("bigint", ids)).orElseThrow());
        assertTrue(sql.inTransaction(this::claimedOfProject).isEmpty(), "neither is claimed again");

        // A claim rolled back (a dispatch that failed) leaves its rows as they were.
        events.store(project, List.of(event("s3", "u1", "view", Instant.now())));
        sql.with(c -> {
            c.setAutoCommit(false);
            try {
                assertEquals(1, claimedOfProject(c).size());
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return null;
        });
        assertEquals(1, sql.inTransaction(this::claimedOfProject).size());
    }

    @Test
    void aFullCatalogKeepsCountingItsTypesButTakesNoNewOnes() {
        sql.update("INSERT INTO event_type (project_id, name, source) SELECT ?, 'type-' || n, 'manual' FROM generate_series(1, ?) n",
                project, EventCatalog.MAX_TYPES);
        events.store(project, List.of(event("known", "u9", "type-1", Instant.now()), event("new", "u9", "brand-new", Instant.now())));
        sql.inTransaction(tx -> {
            dispatched(tx);
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

    @Test
    void theListWithoutSubjectOrTypeMergesEveryTypeNewestFirstPageByPage() {
        Instant t = Instant.parse("2026-06-02T00:00:00Z");
        assertEquals(List.of(), events.recent(project, new EventStore.Filter(null, null, null, null, null), null, 10).items());
        // Three types interleaved in time, stored out of order, one type with a tie on time (the id decides),
        // and another project's newer event that must not show.
        events.store(project, List.of(event("a3", "u1", "open", t.plusSeconds(3)), event("a0", "u2", "click", t),
                event("a5", "u1", "view", t.plusSeconds(5)), event("a1", "u3", "open", t.plusSeconds(1))));
        events.store(project, List.of(event("a4", "u2", "click", t.plusSeconds(4)), event("a2", "u1", "view", t.plusSeconds(2)),
                event("a6", "u1", "view", t.plusSeconds(5))));
        events.store(TestProjects.create(), List.of(event("x", "u1", "open", t.plusSeconds(9))));
        EventStore.Filter all = new EventStore.Filter(null, null, null, null, null);
        List<String> seen = new java.util.ArrayList<>();
        Keyset.Position after = null;
        int pages = 0;
        do {
            Keyset.Page<EventStore.Listed> page = events.recent(project, all, after, 3);
            page.items().forEach(e -> seen.add(e.eventId()));
            after = page.next();
            pages++;
        } while (after != null);
        assertEquals(List.of("a6", "a5", "a4", "a3", "a2", "a1", "a0"), seen);
        assertEquals(3, pages);
        EventStore.Filter window = new EventStore.Filter(null, null, null, t.plusSeconds(1), t.plusSeconds(4));
        assertEquals(List.of("a3", "a2", "a1"), events.recent(project, window, null, 10).items().stream()
                .map(EventStore.Listed::eventId).toList());
        EventStore.Listed newest = events.recent(project, all, null, 1).items().get(0);
        assertEquals(List.of("a6", "view", "user", "u1", "{\"amount\": 10}", t.plusSeconds(5)),
                List.of(newest.eventId(), newest.type(), newest.subjectType(), newest.subjectId(), newest.dataJson(), newest.occurredAt()));
    }

    @Test
    void aBatchIsCataloguedWithOnePropertyTypeEachAndMixedWhereItsEventsDisagree() {
        Instant t = Instant.parse("2026-07-01T00:00:00Z");
        events.store(project, List.of(
                new NewEvent(null, "user", "u1", "order", "{\"at\": \"2026-07-01T10:00:00Z\", \"code\": \"2026-13-01T10:00:00Z\","
                        + " \"amount\": 1, \"paid\": true, \"note\": null}", t),
                new NewEvent(null, "user", "u2", "order", "{\"at\": \"2026-07-02T10:00:00+02:00\", \"amount\": \"ten\","
                        + " \"sizes\": [1, 2]}", t.plusSeconds(1)),
                new NewEvent(null, "user", "u2", "view", "{}", t.plusSeconds(2))));
        sql.inTransaction(tx -> {
            dispatched(tx);
            return null;
        });
        Map<String, EventCatalog.EventType> types = new java.util.HashMap<>();
        catalog.list(project).forEach(type -> types.put(type.name(), type));
        assertEquals(2, types.get("order").count());
        assertEquals(Map.of("at", "time", "code", "string", "amount", "mixed", "paid", "boolean", "sizes", "array<number>"),
                properties(types.get("order")));
        assertEquals(Map.of(), properties(types.get("view")));

        // A later batch merges into what the catalog holds: a property that disagrees with it becomes mixed.
        events.store(project, List.of(new NewEvent(null, "user", "u3", "order", "{\"at\": 5, \"paid\": false}", t)));
        sql.inTransaction(tx -> {
            dispatched(tx);
            return null;
        });
        EventCatalog.EventType order = catalog.list(project).stream().filter(type -> type.name().equals("order")).findFirst().orElseThrow();
        assertEquals(3, order.count());
        assertEquals(Map.of("at", "mixed", "code", "string", "amount", "mixed", "paid", "boolean", "sizes", "array<number>"),
                properties(order));
    }

    @Test
    void anIsoTimeIsReadOnlyFromAStringShapedLikeOneThatIsARealTime() {
        assertEquals(Instant.parse("2026-07-01T08:00:00Z"), isoTime("\"2026-07-01T10:00:00+02:00\""));
        assertEquals(Instant.parse("2026-07-01T10:00:00.123Z"), isoTime("\"2026-07-01T10:00:00.123Z\""));
        assertNull(isoTime("\"2026-13-01T10:00:00Z\""), "shaped like a time, but month 13");
        assertNull(isoTime("\"2026-07-01\""));
        assertNull(isoTime("\"soon\""));
        assertNull(isoTime("1751364000000"));
        assertNull(isoTime("null"));
        assertNull(isoTime("[\"2026-07-01T10:00:00Z\"]"));
    }

    private Instant isoTime(String json) {
        return sql.first("SELECT cond_iso_time(?::jsonb)", rs -> Sql.instant(rs, "cond_iso_time"), json).orElse(null);
    }

    /** What the dispatcher does with a batch that starts nothing: count it, and it leaves the outbox. */
    private void dispatched(java.sql.Connection tx) throws java.sql.SQLException {
        List<Outbox.Claimed> claimed = claimedOfProject(tx);
        EventCatalog.count(tx, claimed);
        Outbox.settle(tx, List.of(), claimed.stream().map(Outbox.Claimed::id).toList());
    }

    private List<Outbox.Claimed> claimedOfProject(java.sql.Connection tx) throws java.sql.SQLException {
        return Claims.all(tx).stream().filter(c -> c.projectId().equals(project)).toList();
    }

    private static Map<String, Object> properties(EventCatalog.EventType type) {
        try {
            return new ObjectMapper().readValue(type.propertiesJson(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
