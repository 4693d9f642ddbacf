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
                // Pooled, as WorkerMain and the API run: a connection per statement (a PostgreSQL backend
                // forked each time) made the module's tests spend most of their time connecting.
                db = io.agroal.api.AgroalDataSource.from(new io.agroal.api.configuration.supplier.AgroalPropertiesReader()
                        .readProperties(java.util.Map.of(
                                io.agroal.api.configuration.supplier.AgroalPropertiesReader.JDBC_URL, pg.getJdbcUrl("postgres", "postgres"),
                                io.agroal.api.configuration.supplier.AgroalPropertiesReader.MAX_SIZE, "20"))
                        .get());
                Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
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
