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
    private static EmbeddedPostgres server;

    private TestDatabase() {}

    public static synchronized DataSource get() {
        if (db == null) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                server = pg;
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

    /**
     * A database of its own on the same server, migrated up to {@code version} (null: all), made
     * anew on every call: for tests that drop months, move time or upgrade, which must not touch
     * the rows other tests share.
     */
    public static synchronized DataSource fresh(String name, String version) {
        get();
        new Sql(db).update("DROP DATABASE IF EXISTS " + name);
        new Sql(db).update("CREATE DATABASE " + name);
        DataSource own = server.getDatabase("postgres", name);
        migrate(own, version);
        return own;
    }

    /** Applies the module's migrations up to {@code version} (null: all). */
    public static void migrate(DataSource target, String version) {
        var flyway = Flyway.configure().dataSource(target).locations("classpath:db/migration");
        if (version != null) {
            flyway.target(version);
        }
        flyway.load().migrate();
    }

    public static Sql sql() {
        return new Sql(get());
    }
}
