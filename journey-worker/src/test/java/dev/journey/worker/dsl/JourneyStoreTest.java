package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    @Test
    void aVersionIsReadByReferenceAndAStepsInlineTemplateAlone() {
        String definition = """
                {"name": "Welcome", "trigger": {"event": "signup"},
                 "steps": [{"id": "hello", "type": "message", "channel": "email",
                            "template": {"subject": "Hi {{ user.id }}", "html": "<p>Welcome</p>"}, "next": "stored"},
                           {"id": "stored", "type": "message", "channel": "email", "templateId": "t1", "next": "bye"},
                           {"id": "bye", "type": "exit"}]}""";
        String id = TestProjects.journey(project, "Welcome", definition);

        JourneyDefinition read = journeys.version(project, id, 1).orElseThrow();
        assertEquals(List.of("hello", "stored", "bye"), read.stepIds());
        assertEquals(Map.of("subject", "Hi {{ user.id }}", "html", "<p>Welcome</p>"), ((MessageStep) read.step("hello")).template());
        assertTrue(journeys.version(project, id, 2).isEmpty());
        assertTrue(journeys.version("another-project", id, 1).isEmpty(), "only the project's own journeys");

        assertEquals(Optional.of(Map.of("subject", "Hi {{ user.id }}", "html", "<p>Welcome</p>")),
                JourneyStore.inlineTemplate(sql, project, id, 1, "hello"));
        assertEquals(Optional.empty(), JourneyStore.inlineTemplate(sql, project, id, 1, "stored"), "a stored template is not inline");
        assertEquals(Optional.empty(), JourneyStore.inlineTemplate(sql, project, id, 1, "bye"));
        assertEquals(Optional.empty(), JourneyStore.inlineTemplate(sql, project, id, 1, "nowhere"));
        assertEquals(Optional.empty(), JourneyStore.inlineTemplate(sql, project, id, 2, "hello"));
        assertEquals(Optional.empty(), JourneyStore.inlineTemplate(sql, "another-project", id, 1, "hello"));
    }

    @Test
    void withoutTemplateBodiesAMessageStepKeepsEverythingElse() {
        MessageStep step = new MessageStep("m", "email", "ch1", true, Map.of("html", "<p>big</p>"), null, "next", null, null);
        assertEquals(new MessageStep("m", "email", "ch1", true, null, null, "next", null, null), step.withoutTemplate());
        MessageStep stored = new MessageStep("s", "email", null, null, null, "t1", null, null, null);
        assertEquals(stored, stored.withoutTemplate());
    }
}
