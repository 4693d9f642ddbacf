package dev.journey.worker.db;

import java.util.UUID;

/** Fresh rows for a test: each test works in a project of its own, so tests share one database safely. */
public final class TestProjects {
    private TestProjects() {}

    public static String create() {
        String id = "p-" + UUID.randomUUID();
        TestDatabase.sql().update("INSERT INTO project (id, name) VALUES (?, ?)", id, id);
        return id;
    }

    /** A published journey with one version whose definition is {@code definitionJson}; returns its id. */
    public static String journey(String projectId, String name, String definitionJson) {
        String id = "j-" + UUID.randomUUID();
        Sql sql = TestDatabase.sql();
        sql.update("INSERT INTO journey (id, project_id, name, status, definition, published_version) VALUES (?, ?, ?, 'published', ?::jsonb, 1)",
                id, projectId, name, definitionJson);
        sql.update("INSERT INTO journey_version (journey_id, version, definition) VALUES (?, 1, ?::jsonb)", id, definitionJson);
        return id;
    }
}
