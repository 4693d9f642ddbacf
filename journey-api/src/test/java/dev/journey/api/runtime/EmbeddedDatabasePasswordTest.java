package dev.journey.api.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Issue 12: the embedded PostgreSQL's superuser has a generated password that every connection must give,
 * and a data directory made by an older version (trust authentication, no password) still starts, with
 * its data, and is switched to the password.
 */
class EmbeddedDatabasePasswordTest {
    @TempDir
    Path dir;

    @Test
    void anOldTrustingClusterKeepsItsDataAndGetsAPassword() throws Exception {
        Path pgData = dir.resolve("postgres");
        // As versions before passwords started it: zonky's defaults, trust for every local connection.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
             Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from before')");
        }
        String password = EmbeddedDatabase.newPassword();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(pgData, true, password)) {
            assertPasswordRequired(db);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), password);
                 ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("from before", rs.getString(1));
            }
        }
        assertTrue(Files.readString(pgData.resolve("pg_hba.conf")).startsWith(EmbeddedDatabase.HBA_MARKER));
        // The next start finds the password required from the first connection on.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(pgData, true, password)) {
            assertRefused(db, "");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), password)) {
                assertTrue(c.isValid(5));
            }
        }
    }

    @Test
    void aNewClusterNeedsThePasswordToo() throws Exception {
        String password = EmbeddedDatabase.newPassword();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("fresh"), false, password)) {
            assertPasswordRequired(db);
        }
    }

    /** pg_hba.conf is re-read by a signal the server handles a moment later. */
    private static void assertPasswordRequired(EmbeddedDatabase db) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertRefused(db, "");
            assertRefused(db, "wrong-password");
        });
    }

    private static void assertRefused(EmbeddedDatabase db, String password) {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl(), db.username(), password).close());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }
}
