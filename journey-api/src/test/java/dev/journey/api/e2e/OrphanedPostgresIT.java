package dev.journey.api.e2e;

import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.journey.api.support.EngineProcess;

/**
 * Issue 9, point 5: a kill -9 of the engine leaves its embedded PostgreSQL running with
 * postmaster.pid in the data directory. The next start must stop that orphan, say so, and come up
 * on the same data.
 */
class OrphanedPostgresIT {
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void theNextStartStopsTheOrphanedPostgresAndKeepsTheData(@TempDir Path dataDirectory) {
        try (EngineProcess crashed = EngineProcess.start(dataDirectory)) {
            crashed.awaitReady(READY);
            crashed.api().body("""
                    {"events":[{"subjectType":"user","subjectId":"u1","type":"signup","data":{}}]}""")
                    .post("/v1/projects/demo/track").then().statusCode(202);
            long orphan = crashed.postmasterPid().orElseThrow(() -> new AssertionError("no postmaster.pid while the engine runs"));

            crashed.kill9();
            assertTrue(alive(orphan), "a kill -9 of the engine leaves its PostgreSQL (pid " + orphan + ") running");

            try (EngineProcess restarted = EngineProcess.start(dataDirectory)) {
                restarted.awaitReady(READY);
                String recovered = "stopped an orphaned PostgreSQL (pid " + orphan + ") left by a crash";
                assertTrue(restarted.log().contains(recovered), "the start-up says what it recovered");
                restarted.awaitLog("Recovered    " + recovered, Duration.ofSeconds(5));
                assertFalse(alive(orphan), "the orphaned postmaster (pid " + orphan + ") is gone");
                assertNotEquals(orphan, restarted.postmasterPid().orElseThrow());

                restarted.api().queryParam("userId", "u1").get("/v1/projects/demo/events").then().statusCode(200)
                        .body("events.type", contains("signup"))
                        .body("events.subjectId", contains("u1"));
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
