package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;

class JourneyStoreTest {
    private static final String V1 = "{\"name\": \"Welcome\", \"trigger\": {\"event\": \"signup\"}, \"steps\": [{\"id\": \"bye\", \"type\": \"exit\"}]}";
    private static final String V2 = "{\"name\": \"Welcome back\", \"trigger\": {\"event\": \"login\"}, \"steps\": [{\"id\": \"bye\", \"type\": \"exit\"}]}";

    private final Sql sql = TestDatabase.sql();
    private final JourneyStore journeys = new JourneyStore(TestDatabase.get(), new ObjectMapper());
    private final String project = TestProjects.create();

    @Test
    void aDraftIsPublishedAsNumberedVersionsThatStayAsTheyWere() {
        journeys.create("j1-" + project, project, "Welcome", V1);
        JourneyStore.Journey draft = journeys.find(project, "j1-" + project).orElseThrow();
        assertEquals(JourneyStatus.DRAFT, draft.status());
        assertNull(draft.publishedVersion());
        assertEquals(List.of(), sql.with(c -> journeys.published(c, project)));

        assertEquals(1, journeys.publish("j1-" + project, "signup"));
        journeys.saveDraft("j1-" + project, "Welcome back", V2);
        assertEquals("signup", sql.with(c -> journeys.published(c, project)).get(0).definition().trigger().eventType(),
                "a saved draft changes nothing published");
        assertEquals(2, journeys.publish("j1-" + project, "login"));
        JourneyStore.Published published = sql.with(c -> journeys.published(c, project)).get(0);
        assertEquals(2, published.version());
        assertEquals("login", published.definition().trigger().eventType());
        assertEquals("Welcome back", journeys.find(project, "j1-" + project).orElseThrow().name());

        journeys.setStatus("j1-" + project, JourneyStatus.PAUSED);
        assertEquals(List.of(), sql.with(c -> journeys.published(c, project)), "a paused journey takes no entries");
        assertEquals(JourneyStatus.PAUSED, journeys.find(project, "j1-" + project).orElseThrow().status());
        assertTrue(journeys.find("another-project", "j1-" + project).isEmpty());

        journeys.delete("j1-" + project);
        assertTrue(journeys.list(project).isEmpty());
        assertEquals(0L, sql.first("SELECT count(*) FROM journey_version WHERE journey_id = ?", rs -> rs.getLong(1), "j1-" + project)
                .orElseThrow());
    }
}
