package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pid file is acted on only when its process is this data directory's postmaster: anything else
 * alive is never signalled (the start fails and says why), a dead pid is left to PostgreSQL.
 * The orphan that is stopped is covered end to end by OrphanedPostgresIT.
 */
class OrphanedPostmasterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void noPidFileNothingToDo() throws IOException {
        assertEquals(Optional.empty(), OrphanedPostmaster.stop(dir, TIMEOUT));
    }

    @Test
    void aStalePidFileIsLeftToPostgres() throws IOException {
        Process gone = new ProcessBuilder("true").start();
        gone.onExit().join();
        writePidFile(gone.pid(), dir);
        assertEquals(Optional.empty(), OrphanedPostmaster.stop(dir, TIMEOUT));
        assertTrue(Files.exists(dir.resolve("postmaster.pid")));
    }

    @Test
    void aLiveProcessThatIsNotPostgresIsNotSignalled() throws Exception {
        assertRefusedAndLeftAlive(new ProcessBuilder("sleep", "60").start(), "is not PostgreSQL");
    }

    @Test
    void aPostgresOfAnotherDataDirectoryIsNotSignalled(@TempDir Path elsewhere) throws Exception {
        // An executable named postgres, running with -D naming another directory (bash keeps running: `; :`).
        Path postgres = Files.copy(Path.of("/bin/bash"), elsewhere.resolve("postgres"), StandardCopyOption.COPY_ATTRIBUTES);
        Process other = new ProcessBuilder(postgres.toString(), "-c", "sleep 60; :", "-D", elsewhere.toString()).start();
        assertRefusedAndLeftAlive(other, "serves another data directory");
    }

    /** With {@code other}'s pid in the pid file, stop() fails for {@code reason} and {@code other} lives on. */
    private void assertRefusedAndLeftAlive(Process other, String reason) throws Exception {
        try {
            writePidFile(other.pid(), dir);
            IOException e = assertThrows(IOException.class, () -> OrphanedPostmaster.stop(dir, TIMEOUT));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertTrue(other.isAlive(), "the process was signalled");
        } finally {
            other.descendants().forEach(ProcessHandle::destroyForcibly);
            other.destroyForcibly().waitFor();
        }
    }

    private static void writePidFile(long pid, Path dataDirectory) throws IOException {
        Files.writeString(dataDirectory.resolve("postmaster.pid"), pid + "\n" + dataDirectory + "\n1700000000\n5432\n");
    }
}
