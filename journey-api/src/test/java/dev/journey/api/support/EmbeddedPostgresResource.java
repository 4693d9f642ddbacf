package dev.journey.api.support;

import java.nio.file.Files;
import java.util.Map;

import dev.journey.api.runtime.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real PostgreSQL for the whole test run, in a fresh temporary directory, with a password as the engine runs it. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedDatabase db;

    @Override
    public Map<String, String> start() {
        try {
            db = EmbeddedDatabase.start(Files.createTempDirectory("journey-test-pg"), false, EmbeddedDatabase.newPassword());
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", db.jdbcUrl(), "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        try {
            db.close();
        } catch (Exception ignored) {
            // the JVM is ending
        }
    }
}
