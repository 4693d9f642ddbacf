package dev.journey.worker.db;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per test JVM, migrated by the module's own migrations: the stores are
 * tested where they live, against the real database. Tests keep apart by project id.
 */
public final class TestDatabase {
    private static DataSource db;

    private TestDatabase() {}

    public static synchronized DataSource get() {
        if (db == null) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is leaving; zonky removes its data directory itself
                    }
                }));
                db = pg.getPostgresDatabase();
                Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return db;
    }

    public static Sql sql() {
        return new Sql(get());
    }
}
