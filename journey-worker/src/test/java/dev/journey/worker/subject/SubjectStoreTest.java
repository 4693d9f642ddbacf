package dev.journey.worker.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.segment.SegmentStore;

class SubjectStoreTest {
    private final Sql sql = TestDatabase.sql();
    private final SubjectStore subjects = new SubjectStore(TestDatabase.get(), new ObjectMapper(),
            new EventStore(TestDatabase.get(), new ObjectMapper()), new SegmentStore(TestDatabase.get(), new ObjectMapper()));
    private final String project = TestProjects.create();

    @Test
    void aDeviceStandsForItsUserAndLendsItsTimezoneWhenTheUserHasNone() {
        assertTrue(subjects.registerDevice(project, "d1", "u1", "ios", "token-1", "Asia/Seoul"));
        assertFalse(subjects.registerDevice(project, "d1", null, "ios", null, null), "a second registration updates");
        assertEquals("u1", subjects.userId(project, "device", "d1"));
        assertNull(subjects.userId(project, "device", "unknown"));
        assertEquals("Asia/Seoul", subjects.timezone(project, "user", "u1"));
        assertEquals("UTC", subjects.timezone(project, "user", "nobody"));
        SubjectStore.Device device = subjects.devices(project, "u1").get(0);
        assertEquals("d1", device.deviceId());
        assertTrue(device.hasPushToken());
        assertEquals("Asia/Seoul", device.timezone());
    }

    @Test
    void aDeviceIsStoredWithItsFirstSessionOrNotAtAll() {
        assertTrue(subjects.registerDevice(project, "d-first", "u-first", "android", null, null));
        assertFalse(subjects.registerDevice(project, "d-first", "u-first", "android", null, null));
        assertEquals(List.of("@first_session"), sql.list("SELECT type FROM event WHERE project_id = ? AND subject_id = 'd-first'",
                rs -> rs.getString(1), project));
        // The event cannot be stored (as in a failure between two statements): the device is not stored either.
        sql.update("CREATE OR REPLACE FUNCTION refuse_first_session() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN IF NEW.subject_id = 'd-broken' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
        sql.update("CREATE TRIGGER refuse_first_session BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION refuse_first_session()");
        try {
            assertThrows(SqlFailure.class, () -> subjects.registerDevice(project, "d-broken", null, "ios", null, null));
        } finally {
            sql.update("DROP TRIGGER refuse_first_session ON event");
        }
        assertEquals(0L, sql.first("SELECT count(*) FROM device WHERE project_id = ? AND device_id = 'd-broken'", rs -> rs.getLong(1), project)
                .orElseThrow(), "no device without its first session");
        assertTrue(subjects.registerDevice(project, "d-broken", null, "ios", null, null), "registered again: the first time is now");
    }

    @Test
    void tagsMergeNullDeletesAndEachChangeIsAnEventForSegments() {
        subjects.mergeTags(project, "u2", Map.of("tier", "gold", "score", 3));
        Map<String, Object> patch = new HashMap<>();
        patch.put("score", null);
        patch.put("city", "Seoul");
        subjects.mergeTags(project, "u2", patch);
        assertEquals(Map.of("tier", "gold", "city", "Seoul"), subjects.tags(project, "u2"));
        assertEquals(2L, sql.first("SELECT count(*) FROM event e JOIN dispatch_pending o ON o.event_id = e.id"
                + " WHERE e.project_id = ? AND e.type = '@tags_changed'", rs -> rs.getLong(1), project).orElseThrow());
    }

    /** The user a template sees: the same map for previews and real sends, with the timezone only when the user has one. */
    @Test
    void theUserATemplateSeesCarriesTagsAndTheUsersOwnTimezone() {
        subjects.mergeTags(project, "u3", Map.of("tier", "silver"));
        assertEquals(Map.of("id", "u3", "tags", Map.of("tier", "silver")), subjects.user(project, "user", "u3"));
        sql.update("UPDATE app_user SET timezone = 'Europe/Paris' WHERE project_id = ? AND user_id = 'u3'", project);
        assertEquals(Map.of("id", "u3", "tags", Map.of("tier", "silver"), "timezone", "Europe/Paris"), subjects.user(project, "user", "u3"));
        assertEquals("Europe/Paris", subjects.profile(project, "u3").orElseThrow().timezone());
        Map<String, Object> nobody = new HashMap<>();
        nobody.put("id", null);
        nobody.put("tags", Map.of());
        assertEquals(nobody, subjects.user(project, "device", "unregistered"));
        assertEquals(List.of(), subjects.devices(project, "u3"));
    }

    /** A journey step's change: once per event id however often it is done, with the journeys that caused it. */
    @Test
    void tagsChangedByAJourneyAreRecordedOncePerEventIdAndCarryTheirCause() throws Exception {
        subjects.mergeTags(project, "u4", Map.of("tier", "gold"), "@tags_changed:abc", List.of("j0", "j1"));
        subjects.mergeTags(project, "u4", Map.of("tier", "gold"), "@tags_changed:abc", List.of("j0", "j1"));
        subjects.mergeTags(project, "u4", Map.of("tier", "silver"));
        List<List<String>> events = sql.list("SELECT coalesce(e.event_id, '-'), e.data::text FROM event e"
                        + " JOIN dispatch_pending o ON o.event_id = e.id WHERE e.project_id = ? AND e.type = '@tags_changed' ORDER BY e.id",
                rs -> List.of(rs.getString(1), rs.getString(2)), project);
        ObjectMapper json = new ObjectMapper();
        assertEquals(2, events.size(), events.toString());
        assertEquals("@tags_changed:abc", events.get(0).get(0));
        assertEquals(Map.of("changed", List.of("tier"), "causedBy", List.of("j0", "j1")), json.readValue(events.get(0).get(1), Map.class));
        assertEquals("-", events.get(1).get(0), "a plain change has no event id");
        assertEquals(Map.of("changed", List.of("tier")), json.readValue(events.get(1).get(1), Map.class), "nor a cause");
        assertEquals(Map.of("tier", "silver"), subjects.tags(project, "u4"));
    }
}
