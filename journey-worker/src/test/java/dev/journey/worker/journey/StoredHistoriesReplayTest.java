package dev.journey.worker.journey;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.temporal.testing.WorkflowReplayer;

/**
 * Instances started by an earlier version of the workflow code may still be running when a new
 * one is deployed; the new code takes them over by replaying their histories, and must make the
 * same decisions, or each such instance fails with a non-determinism error. Every history in
 * {@code src/test/resources/histories} was recorded with an earlier version (HistoryRecorderTest)
 * and must replay with the current JourneyWorkflowImpl.
 */
class StoredHistoriesReplayTest {
    @TestFactory
    Stream<DynamicTest> everyStoredHistoryReplaysWithTheCurrentCode() throws Exception {
        URL folder = StoredHistoriesReplayTest.class.getResource("/histories");
        assertNotNull(folder, "no histories folder on the test classpath (src/test/resources/histories)");
        List<Path> histories;
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            histories = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        // An empty folder would make this test pass while checking nothing.
        assertFalse(histories.isEmpty(), "no stored histories in " + folder + ": record some, see the README.md there");
        return histories.stream().map(history -> dynamicTest(history.getFileName().toString(), () -> replay(history)));
    }

    private static void replay(Path history) {
        try {
            WorkflowReplayer.replayWorkflowExecution(history.toFile(), JourneyWorkflowImpl.class);
        } catch (Exception e) {
            // The replayer's own message names a placeholder workflow id, not the file.
            throw new AssertionError(history.getFileName() + " does not replay with the current JourneyWorkflowImpl: "
                    + rootCause(e).getMessage(), e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        return e.getCause() == null || e.getCause() == e ? e : rootCause(e.getCause());
    }
}
