package dev.journey.api.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The track API's group commit: requests that wait together are stored in one transaction, each
 * answered with its own counts, and a request that fails fails alone. The writers are held back by
 * a lock on the outbox, so the requests are sure to wait together.
 */
@QuarkusTest
class EventWriterTest {
    private static final int REQUESTS = 40;

    @Inject
    AgroalDataSource db;
    @Inject
    EventWriter writer;

    private TestProject project;
    private final ExecutorService clients = Executors.newFixedThreadPool(REQUESTS + 8);

    @BeforeEach
    void setUp() {
        project = TestProject.create("Group commit");
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.shutdownNow();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER IF EXISTS poison ON event");
            st.execute("DROP FUNCTION IF EXISTS poison()");
        }
    }

    @Test
    void requestsThatWaitTogetherShareOneCommitAndEachGetsItsOwnCounts() throws Exception {
        List<Future<Response>> answers = new ArrayList<>();
        try (Connection lock = heldOutbox()) {
            List<Future<Response>> holding = holdBothWriters();
            for (int i = 0; i < REQUESTS; i++) {
                // Requests 0 and 1 carry the same eventId: one stored, one a duplicate, whichever goes first.
                String eventId = i < 2 ? "same" : "e" + i;
                answers.add(clients.submit(() -> track("user" + eventId, eventId)));
            }
            awaitWaiting(REQUESTS);
            lock.rollback();
            for (Future<Response> held : holding) {
                assertEquals(202, held.get().statusCode());
            }
        }
        int accepted = 0;
        int duplicates = 0;
        for (Future<Response> answer : answers) {
            Response r = answer.get();
            assertEquals(202, r.statusCode(), r.asString());
            accepted += r.jsonPath().getInt("accepted");
            duplicates += r.jsonPath().getInt("duplicates");
        }
        assertEquals(REQUESTS - 1, accepted);
        assertEquals(1, duplicates);
        assertEquals(REQUESTS - 1, count("SELECT count(*) FROM event WHERE project_id = '" + project.id() + "' AND subject_id NOT LIKE 'holder%'"));
        long commits = count("SELECT count(DISTINCT xmin::text) FROM event WHERE project_id = '" + project.id() + "' AND subject_id NOT LIKE 'holder%'");
        assertTrue(commits <= 2, commits + " transactions stored " + REQUESTS + " requests");
    }

    @Test
    void aRequestThatFailsInAGroupFailsAloneAndTheOthersAreStored() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.subject_id = 'poison' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER poison BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION poison()");
        }
        List<Future<Response>> good = new ArrayList<>();
        Future<Response> poisoned;
        try (Connection lock = heldOutbox()) {
            good.addAll(holdBothWriters());
            for (int i = 0; i < REQUESTS / 2; i++) {
                int n = i;
                good.add(clients.submit(() -> track("user" + n, null)));
            }
            poisoned = clients.submit(() -> track("poison", null));
            for (int i = REQUESTS / 2; i < REQUESTS; i++) {
                int n = i;
                good.add(clients.submit(() -> track("user" + n, null)));
            }
            awaitWaiting(REQUESTS + 1);
            lock.rollback();
        }
        assertEquals(500, poisoned.get().statusCode());
        for (Future<Response> answer : good) {
            assertEquals(202, answer.get().statusCode(), answer.get().asString());
        }
        assertEquals(REQUESTS + 2, count("SELECT count(*) FROM event WHERE project_id = '" + project.id() + "'"));
        assertEquals(0, count("SELECT count(*) FROM event WHERE subject_id = 'poison'"));
    }

    /** One request for each writer, sent one after the other, each writer then waiting for the lock: later requests queue. */
    private List<Future<Response>> holdBothWriters() {
        List<Future<Response>> holding = new ArrayList<>();
        for (int held = 1; held <= 2; held++) {
            String user = "holder" + held;
            holding.add(clients.submit(() -> track(user, null)));
            int writers = held;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO event %'") >= writers);
        }
        return holding;
    }

    /** A transaction that holds a lock every store waits for, until it is rolled back. */
    private Connection heldOutbox() throws Exception {
        Connection c = db.getConnection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE dispatch_arrival IN SHARE MODE");
        }
        return c;
    }

    /** At least this many requests wait (other tests' late requests may wait too: they only join the groups). */
    private void awaitWaiting(int requests) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> writer.waiting() >= requests);
    }


    private Response track(String user, String eventId) {
        Map<String, Object> event = new java.util.HashMap<>(Map.of("subjectType", "user", "subjectId", user, "type", "grouped",
                "data", Map.of("n", 1)));
        if (eventId != null) {
            event.put("eventId", eventId);
        }
        return project.api().body(Map.of("events", List.of(event))).post(project.path("/track"));
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
