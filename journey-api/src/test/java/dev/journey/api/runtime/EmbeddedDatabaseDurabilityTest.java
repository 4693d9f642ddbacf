package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: an acknowledged event must survive a power loss, not only a killed process. zonky starts
 * PostgreSQL with {@code -F} (fsync off), under which the operating system may lose committed WAL, or
 * leave a cluster that does not start; the engine's kept cluster turns fsync back on.
 */
class EmbeddedDatabaseDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aKeptClusterWritesEveryCommitToDisk() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("kept"), true, EmbeddedDatabase.newPassword())) {
            assertEquals("on", setting(db, "fsync"));
            assertEquals("on", setting(db, "synchronous_commit"));
            assertEquals("on", setting(db, "full_page_writes"));
        }
    }

    @Test
    void aClusterWipedAtEveryStartSkipsFsync() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("throwaway"), false, EmbeddedDatabase.newPassword())) {
            assertEquals("off", setting(db, "fsync"));
        }
    }

    private static String setting(EmbeddedDatabase db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
