package dev.journey.worker.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.dsl.Reentry;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;

class InstanceStoreTest {
    private final Sql sql = TestDatabase.sql();
    private final EventStore events = new EventStore(TestDatabase.get(), new ObjectMapper());
    private final InstanceStore instances = new InstanceStore(TestDatabase.get(), events);
    private final String project = TestProjects.create();
    private final String journey = TestProjects.journey(project, "Welcome", "{\"trigger\": {\"event\": \"signup\"}, \"steps\": []}");

    private EntryEvent stored(String eventId, String user, String type, Instant at) {
        events.store(project, List.of(new NewEvent(eventId, "user", user, type, "{}", at)));
        return events.find(project, eventId).orElseThrow();
    }

    private String enter(EntryEvent e, List<String> listensTo) {
        String workflowId = journey + "/" + e.subjectId() + "/" + e.id();
        boolean inserted = sql.inTransaction(tx -> InstanceStore.insert(tx, new InstanceStore.NewInstance(workflowId, project, journey, 1,
                "user", e.subjectId(), e.id(), listensTo)));
        assertTrue(inserted);
        return workflowId;
    }

    @Test
    void anInstanceIsWrittenOnceRecordsItsProgressAndEndsOnce() {
        EntryEvent signup = stored("s1", "u1", "signup", Instant.now());
        String id = enter(signup, List.of("purchase"));
        boolean again = sql.inTransaction(tx -> InstanceStore.insert(tx, new InstanceStore.NewInstance(id, project, journey, 1,
                "user", "u1", signup.id(), List.of())));
        assertFalse(again, "the same entry dispatched again writes nothing");

        assertTrue(instances.checkpoint(id, "wait-1", "{\"stepId\": \"wait-1\"}", Instant.parse("2030-01-01T00:00:00Z"), List.of()));
        InstanceStore.Active active = instances.active(id).orElseThrow();
        assertEquals("{\"stepId\": \"wait-1\"}", active.checkpointJson());
        assertEquals(List.of("purchase"), active.listensTo());
        assertEquals(signup, active.entryEvent());
        assertEquals(JourneyStatus.PUBLISHED, active.journeyStatus());
        assertEquals(Map.of("wait-1", 1L), instances.stats(journey).activeAt());

        assertTrue(instances.end(id, InstanceStatus.CONVERTED, "goal purchase"));
        assertFalse(instances.end(id, InstanceStatus.EXITED, "later"), "an ended instance is not ended again");
        assertFalse(instances.stepReached(id, "late"));
        assertTrue(instances.exists(id));
        assertFalse(instances.exists(id + "-missing"));
        assertTrue(instances.active(id).isEmpty());

        InstanceStore.Instance shown = instances.ofUser(project, "u1", 10).get(0);
        assertEquals(InstanceStatus.CONVERTED, shown.status());
        assertEquals("goal purchase", shown.endReason());
        assertEquals("Welcome", shown.journeyName());
        assertNull(shown.currentStep());
        InstanceStore.Stats stats = instances.stats(journey);
        assertEquals(1, stats.entered());
        assertEquals(1, stats.converted());
        assertEquals(Map.of("goal purchase", 1L), stats.convertedBy());
        assertEquals(Map.of(), stats.activeAt(), "an ended instance is at no step");
    }

    @Test
    void eventsReachTheRunningInstancesOfTheirSubjectThatListenButNeverTheirOwnEntry() {
        EntryEvent signup = stored("s2", "u2", "signup", Instant.now());
        String id = enter(signup, List.of("purchase", "signup"));
        EntryEvent purchase = stored("p2", "u2", "purchase", Instant.now());
        EntryEvent otherUser = stored("p3", "u3", "purchase", Instant.now());
        List<InstanceStore.Listener> listeners = sql.with(c -> InstanceStore.listeners(c, List.of(
                heard(signup), heard(purchase), heard(otherUser))));
        assertEquals(List.of(new InstanceStore.Listener(id, purchase.id())), listeners);
        instances.end(id, InstanceStatus.EXITED, "exit step");
        assertEquals(List.of(), sql.with(c -> InstanceStore.listeners(c, List.of(heard(purchase)))));
    }

    @Test
    void reentryOnceAlwaysAndCooldownAreDecidedByTheEventsTimes() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        assertTrue(mayEnter("u4", t, new Reentry("once", null)));
        assertFalse(mayEnter("u4", t.plusSeconds(3600), new Reentry("once", null)));
        assertTrue(mayEnter("u5", t, new Reentry("cooldown", "PT1H")));
        assertFalse(mayEnter("u5", t.plusSeconds(1800), new Reentry("cooldown", "PT1H")));
        assertTrue(mayEnter("u5", t.plusSeconds(3600), new Reentry("cooldown", "PT1H")));
        assertTrue(mayEnter("u6", t, new Reentry("always", null)));
        assertTrue(mayEnter("u6", t, new Reentry("always", null)));
    }

    @Test
    void reentryAlwaysStopsAtTheCapOfRunningInstancesAndGoesOnWhenOneEnds() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        List<String> running = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            assertTrue(mayEnterCapped("capped", t));
            running.add(enter(stored("cap" + n, "capped", "signup", t), List.of()));
        }
        assertFalse(mayEnterCapped("capped", t),
                "a fourth instance while three run is refused");
        assertTrue(mayEnterCapped("someone-else", t),
                "the cap is per subject");
        instances.end(running.get(0), InstanceStatus.COMPLETED, null);
        assertTrue(mayEnterCapped("capped", t));
    }

    @Test
    void aJourneysInstancesPageNewestFirstByStatusAndUser() {
        for (int i = 0; i < 3; i++) {
            enter(stored("l" + i, "v" + i, "signup", Instant.now()), List.of());
        }
        instances.end(journey + "/v0/" + events.find(project, "l0").orElseThrow().id(), InstanceStatus.COMPLETED, null);
        Keyset.Page<InstanceStore.Instance> first = instances.list(journey, null, null, null, 2);
        assertEquals(2, first.items().size());
        Keyset.Page<InstanceStore.Instance> rest = instances.list(journey, null, null, first.next(), 2);
        assertEquals(1, rest.items().size());
        assertNull(rest.next());
        assertEquals(List.of("v0"), instances.list(journey, null, InstanceStatus.COMPLETED, null, 10).items().stream()
                .map(InstanceStore.Instance::subjectId).toList());
        assertEquals(List.of("v2"), instances.list(journey, "v2", null, null, 10).items().stream()
                .map(InstanceStore.Instance::subjectId).toList());
        assertEquals(List.of(InstanceStatus.ACTIVE, InstanceStatus.ACTIVE), instances.list(journey, null, InstanceStatus.ACTIVE, null, 10)
                .items().stream().map(InstanceStore.Instance::status).toList());
    }

    /** Re-entry always, at most three running. */
    private boolean mayEnterCapped(String user, Instant at) {
        return sql.inTransaction(tx -> InstanceStore.mayEnter(tx, project, journey, "user", user, at, new Reentry("always", null), 3));
    }

    private boolean mayEnter(String user, Instant at, Reentry reentry) {
        return sql.inTransaction(tx -> InstanceStore.mayEnter(tx, project, journey, "user", user, at, reentry, 10));
    }

    private InstanceStore.Heard heard(EntryEvent e) {
        return new InstanceStore.Heard(e.id(), project, e.subjectType(), e.subjectId(), e.type());
    }

    @Test
    void aPathKeepsItsLatestStepsAndARepeatedStepKeepsItsFirstArrival() {
        String id = enter(stored("p1", "u9", "signup", Instant.now()), List.of());
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        assertTrue(instances.checkpoint(id, "s0", "{}", null, List.of(new InstanceStore.PathRow(0, "s0", "wait", t0.plusSeconds(5), null, null))));
        // The same step begun again (a resumed run) at a later time, then left: one row, first arrival kept.
        assertTrue(instances.checkpoint(id, "s0", "{}", null, List.of(new InstanceStore.PathRow(0, "s0", "wait", t0.plusSeconds(9), null, null))));
        // Steps 1 … 203 in one call (each earlier step left), then the 204th: it pushes the oldest five out.
        int total = InstanceStore.MAX_PATH_STEPS + 5;
        List<InstanceStore.PathRow> rows = new java.util.ArrayList<>();
        for (int seq = 0; seq < total - 1; seq++) {
            rows.add(new InstanceStore.PathRow(seq, "s" + seq, "wait", t0.plusSeconds(seq), t0.plusSeconds(seq + 1),
                    "{\"next\": \"s" + (seq + 1) + "\"}"));
        }
        assertTrue(instances.checkpoint(id, "s" + (total - 2), "{}", null, rows.subList(1, rows.size())));
        assertTrue(instances.checkpoint(id, "s" + (total - 1), "{}", null,
                List.of(new InstanceStore.PathRow(total - 1, "s" + (total - 1), "wait", t0.plusSeconds(total), null, null))));
        List<InstanceStore.PathRow> path = instances.path(journey, id).orElseThrow().steps();
        assertEquals(InstanceStore.MAX_PATH_STEPS, path.size());
        assertEquals(total - InstanceStore.MAX_PATH_STEPS, path.get(0).seq(), "the oldest steps went");
        assertEquals(total - 1, path.get(path.size() - 1).seq());
        assertNull(path.get(path.size() - 1).leftAt(), "the step it is in has not been left");

        String other = enter(stored("p2", "u9", "signup", Instant.now()), List.of());
        instances.checkpoint(other, "a", "{}", null, List.of(new InstanceStore.PathRow(0, "a", "wait", t0.plusSeconds(5), null, null)));
        instances.checkpoint(other, "a", "{}", null, List.of(new InstanceStore.PathRow(0, "a", "wait", t0.plusSeconds(9), null, null)));
        assertTrue(instances.end(other, InstanceStatus.EXITED, "exitOn cancel", 42L,
                List.of(new InstanceStore.PathRow(0, "a", "wait", t0.plusSeconds(9), t0.plusSeconds(20), "{\"endedBy\": \"exitOn\"}"))));
        InstanceStore.Path ended = instances.path(journey, other).orElseThrow();
        assertEquals(t0.plusSeconds(5), ended.steps().get(0).reachedAt(), "first arrival kept");
        assertEquals(t0.plusSeconds(20), ended.steps().get(0).leftAt());
        assertEquals(42L, ended.endEventId());
        assertFalse(instances.checkpoint(other, "b", "{}", null, List.of(new InstanceStore.PathRow(1, "b", "wait", t0, null, null))),
                "an ended instance's path does not grow");
        assertEquals(1, instances.path(journey, other).orElseThrow().steps().size());
    }
}
