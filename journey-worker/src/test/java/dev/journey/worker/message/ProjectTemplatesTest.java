package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.journey.templates.Partials;
import dev.journey.templates.Translations;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;

/** Stored templates and snippets as sends and previews find them: a project's own only. */
class ProjectTemplatesTest {
    private final Sql sql = TestDatabase.sql();
    private final ProjectTemplates templates = new ProjectTemplates(sql);

    @Test
    void aProjectFindsItsOwnTemplatesAndSnippets() {
        String project = project();
        String other = project();
        sql.update("INSERT INTO message_template (id, project_id, name, fields, version) VALUES (?, ?, 'Welcome', ?::jsonb, 1)",
                "t_" + project, project, "{\"subject\": \"Hi {{ user.id }}\", \"html\": \"<p>hi</p>\"}");
        sql.update("INSERT INTO snippet (id, project_id, name, source, version) VALUES (?, ?, 'footer', 'Bye', 1)", "s_" + project, project);
        sql.update("INSERT INTO snippet (id, project_id, name, source, version) VALUES (?, ?, 'footer', 'Theirs', 1)", "s_" + other, other);

        assertEquals(Map.of("subject", "Hi {{ user.id }}", "html", "<p>hi</p>"), templates.template(project, "t_" + project).orElseThrow().fields());
        assertEquals(Translations.NONE, templates.template(project, "t_" + project).orElseThrow().translations());
        assertTrue(templates.template(other, "t_" + project).isEmpty());
        sql.update("UPDATE message_template SET translations = ?::jsonb, default_locale = 'en' WHERE id = ?",
                "{\"ko\": {\"subject\": \"안녕 {{ user.id }}\", \"html\": \"<p>안녕</p>\"}}", "t_" + project);
        assertEquals(new Translations("en", Map.of("ko", Map.of("subject", "안녕 {{ user.id }}", "html", "<p>안녕</p>"))),
                templates.template(project, "t_" + project).orElseThrow().translations());
        Partials snippets = templates.snippets(project);
        assertEquals("Bye", snippets.source("footer"));
        assertNull(snippets.source("header"));
        sql.update("UPDATE snippet SET source = 'Changed' WHERE id = ?", "s_" + project);
        assertEquals("Bye", snippets.source("footer"), "one render sees one version of a snippet");
        assertEquals("Changed", templates.snippets(project).source("footer"), "the next render sees the edit");
        assertEquals("Theirs", templates.snippets(other).source("footer"));
    }

    private String project() {
        String id = "p_" + UUID.randomUUID();
        sql.update("INSERT INTO project (id, name) VALUES (?, ?)", id, "templates");
        return id;
    }
}
