package dev.journey.worker.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;

/** When a membership can next change by the clock alone, and the due rechecks the reconciler takes. */
class SegmentRecheckTest {
    private final Sql sql = TestDatabase.sql();
    private final ObjectMapper json = new ObjectMapper();
    private final SegmentStore segments = new SegmentStore(TestDatabase.get(), json);
    private final EventStore events = new EventStore(TestDatabase.get(), json);
    private final String project = TestProjects.create();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private void event(String user, String type, Instant at, String data) {
        events.store(project, List.of(new NewEvent(null, "user", user, type, data, at)));
        sql.update("INSERT INTO app_user (project_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", project, user);
    }

    private Condition condition(String text) throws Exception {
        return json.readValue(text, Condition.class);
    }

    @Test
    void theEarliestCountedEventLeavingItsWindowIsTheNextChange() throws Exception {
        event("ann", "purchase", now.minus(Duration.ofDays(10)), "{\"amount\": 9000}");
        event("ann", "purchase", now.minus(Duration.ofDays(20)), "{\"amount\": 9000}");
        event("ann", "purchase", now.minus(Duration.ofDays(25)), "{\"amount\": 100}");
        event("ann", "purchase", now.minus(Duration.ofDays(40)), "{\"amount\": 9000}");
        event("ann", "view", now.minus(Duration.ofDays(29)), "{}");

        Condition bought = condition("{\"event\": \"purchase\", \"within\": \"P30D\", \"count\": {\"gte\": 2}}");
        assertEquals(now.minus(Duration.ofDays(25)).plus(Duration.ofDays(30)).plusMillis(1), segments.nextChange(project, bought, "ann", now),
                "the purchase 25 days ago leaves the 30 days first (the one 40 days ago has left already)");

        Condition bigSpender = condition("{\"event\": \"purchase\", \"since\": \"P30D\", \"where\": {\"path\": \"data.amount\", \"op\": \"gte\", \"value\": 5000}}");
        assertEquals(now.plus(Duration.ofDays(10)).plusMillis(1), segments.nextChange(project, bigSpender, "ann", now),
                "only the events the where counts");

        Condition lapsed = condition("{\"all\": [{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"},"
                + " {\"not\": {\"any\": [{\"event\": \"view\", \"since\": \"P30D\"}, {\"event\": \"purchase\", \"since\": \"PT1H\"}]}}]}");
        assertEquals(now.plus(Duration.ofDays(1)).plusMillis(1), segments.nextChange(project, lapsed, "ann", now),
                "the earliest over every windowed part, under all/any/not");
    }

    @Test
    void nothingToRecheckWithoutARelativeWindowOrAnEventInIt() throws Exception {
        event("bob", "purchase", now.minus(Duration.ofDays(40)), "{}");
        assertNull(segments.nextChange(project, condition("{\"event\": \"purchase\", \"since\": \"P30D\"}"), "bob", now),
                "no purchase left in the window: only a new event changes the count");
        assertNull(segments.nextChange(project, condition("{\"event\": \"purchase\", \"since\": \"P30D\"}"), "nobody", now));
        assertNull(segments.nextChange(project, condition("{\"event\": \"purchase\", \"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2030-01-01T00:00:00Z\"}"),
                "bob", now), "fixed dates count the same events whatever the time");
        assertNull(segments.nextChange(project, condition("{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}"), "bob", now));
        assertFalse(segments.changesWithTime(project, condition("{\"any\": [{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"},"
                + " {\"event\": \"purchase\", \"from\": \"2020-01-01T00:00:00Z\"}]}")), "no relative window: no recheck is stored");
        assertTrue(segments.changesWithTime(project, condition("{\"not\": {\"event\": \"purchase\", \"within\": \"P30D\"}}")));
    }

    @Test
    void throughTheSegmentsAConditionNames() throws Exception {
        event("cat", "purchase", now.minus(Duration.ofHours(1)), "{}");
        segments.create("s-recent-" + project, project, "Recent", "{\"event\": \"purchase\", \"since\": \"PT2H\"}");
        assertEquals(now.plus(Duration.ofHours(1)).plusMillis(1),
                segments.nextChange(project, condition("{\"not\": {\"segment\": \"s-recent-" + project + "\"}}"), "cat", now));
    }

    @Test
    void dueRechecksAreTakenOnceAndLeased() throws Exception {
        String segment = "s-due-" + project;
        segments.create(segment, project, "Due", "{\"event\": \"purchase\", \"since\": \"P1D\"}");
        sql.inTransaction(tx -> {
            SegmentStore.recheckAt(tx, segment, "due1", now.minusSeconds(5));
            SegmentStore.recheckAt(tx, segment, "due2", now.minusSeconds(10));
            SegmentStore.recheckAt(tx, segment, "later", now.plusSeconds(60));
            SegmentStore.recheckAt(tx, segment, "gone", now.minusSeconds(1));
            SegmentStore.recheckAt(tx, segment, "gone", null);
            return null;
        });
        List<SegmentStore.Recheck> taken = segments.takeDue(now, Duration.ofMinutes(5), 1000);
        assertEquals(List.of(new SegmentStore.Recheck(project, segment, "due2"), new SegmentStore.Recheck(project, segment, "due1")),
                taken.stream().filter(r -> r.segmentId().equals(segment)).sorted((a, b) -> b.userId().compareTo(a.userId())).toList());
        assertEquals(List.of(), segments.takeDue(now, Duration.ofMinutes(5), 1000).stream().filter(r -> r.segmentId().equals(segment)).toList(),
                "leased: not taken again before the lease ends");
        assertEquals(2, segments.takeDue(now.plus(Duration.ofMinutes(6)), Duration.ofMinutes(5), 1000).stream()
                .filter(r -> r.segmentId().equals(segment) && r.userId().startsWith("due")).count(), "due again when the lease ends");
    }
}
