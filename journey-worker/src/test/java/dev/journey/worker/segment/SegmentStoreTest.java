package dev.journey.worker.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.subject.SubjectStore;

class SegmentStoreTest {
    private static final String GOLD = "{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}";

    private final Sql sql = TestDatabase.sql();
    private final SegmentStore segments = new SegmentStore(TestDatabase.get(), new ObjectMapper());
    private final SubjectStore subjects = new SubjectStore(TestDatabase.get(), new ObjectMapper(),
            new EventStore(TestDatabase.get(), new ObjectMapper()), segments);
    private final String project = TestProjects.create();

    @Test
    void aSegmentIsStoredCountedAndListedFromItsCondition() {
        segments.create("s-gold-" + project, project, "Gold", GOLD);
        for (String user : List.of("a", "b", "c")) {
            subjects.mergeTags(project, user, Map.of("tier", user.equals("b") ? "silver" : "gold"));
        }
        Condition gold = segments.condition(project, "s-gold-" + project);
        assertEquals(2, segments.count(project, gold));
        assertEquals(List.of("a"), segments.members(project, gold, "", 1));
        assertEquals(List.of("c"), segments.members(project, gold, "a", 10));
        assertTrue(segments.contains(project, gold, "c", Instant.now()));
        assertFalse(segments.contains(project, gold, "b", Instant.now()));

        segments.update("s-gold-" + project, "Gold members", GOLD);
        assertEquals("Gold members", segments.find(project, "s-gold-" + project).orElseThrow().name());
        assertEquals(1, segments.list(project).size());
        assertNull(segments.condition("another-project", "s-gold-" + project));

        assertTrue(enter("a"));
        assertFalse(enter("a"), "a member enters once");
        sql.inTransaction(tx -> {
            SegmentStore.leave(tx, "s-gold-" + project, "a");
            return null;
        });
        assertTrue(enter("a"), "after leaving, entering again");

        segments.delete("s-gold-" + project);
        assertTrue(segments.list(project).isEmpty());
    }

    @Test
    void aConditionSavedWithTimesBeyondTheRangeNowRefusedStillCounts() {
        new EventStore(TestDatabase.get(), new ObjectMapper()).store(project, List.of(
                new dev.journey.worker.event.NewEvent(null, "user", "old-timer", "purchase", "{}", Instant.parse("2020-01-01T00:00:00Z"))));
        sql.update("INSERT INTO app_user (project_id, user_id) VALUES (?, 'old-timer') ON CONFLICT DO NOTHING", project);
        // What validation refuses since today, and what a segment saved before may hold.
        segments.create("s-old-" + project, project, "Old", "{\"event\": \"purchase\", \"from\": \"-2321773-01-24T00:00:00Z\","
                + " \"to\": \"+999999-01-01T00:00:00Z\", \"count\": {\"gte\": 1}}");
        assertEquals(1, segments.count(project, segments.condition(project, "s-old-" + project)));
    }

    private boolean enter(String user) {
        return sql.inTransaction(tx -> SegmentStore.enter(tx, "s-gold-" + project, user));
    }
}
