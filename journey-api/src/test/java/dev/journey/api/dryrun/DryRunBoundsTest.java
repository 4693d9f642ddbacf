package dev.journey.api.dryrun;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A dry run reads at most the events it may (the request's maxEvents, never more than
 * journey.dry-run.max-events): beyond, it says so, and how far it got.
 */
@QuarkusTest
class DryRunBoundsTest {

    @Inject
    Sql sql;

    @Test
    void aRunBeyondItsEventLimitIsTruncatedAndFollowsInstancesOnlyToWhereItStopped() {
        TestProject project = TestProject.create("Bounded dry run");
        Instant t0 = Instant.now().minus(Duration.ofDays(6)).truncatedTo(ChronoUnit.HOURS);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(Map.of("subjectType", "user", "subjectId", "b" + i, "type", "signup",
                    "timestamp", t0.plus(Duration.ofHours(i)).toString(), "data", Map.of("plan", "pro")));
        }
        project.api().body(Map.of("events", events)).post(project.path("/track")).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> sql.first("SELECT count(*) FROM event WHERE project_id = ?",
                rs -> rs.getLong(1), project.id()).orElseThrow() == 6);
        String id = project.api().body("""
                {"name": "Pause", "trigger": {"event": "signup"},
                 "steps": [{"id": "pause", "type": "wait", "duration": "PT2H", "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");

        JsonPath run = project.api().body(Map.of("since", "P7D", "maxEvents", 4)).post(project.path("/journeys/" + id + "/dry-run"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(true, run.getBoolean("truncated"));
        assertEquals("events", run.getString("truncatedBy"));
        assertEquals(4, run.getInt("eventsRead"));
        assertEquals(4, run.getInt("entries"));
        assertEquals(t0.plus(Duration.ofHours(3)), Instant.parse(run.getString("readUntil")));
        // Followed to just before the fourth event (3 h; more events of that moment may be unread): only the first
        // 2-hour wait is over; the second ends at 3 h itself.
        assertEquals(Map.of("reached", 4, "waiting", 3, "ended", 1), run.getMap("steps.pause"));
        assertEquals(Map.of("completed", 1, "exited", 0, "converted", 0, "stillActive", 3), run.getMap("ended"));
        project.api().body(Map.of("maxEvents", 0)).post(project.path("/journeys/" + id + "/dry-run"))
                .then().statusCode(400).body("details[0].path", org.hamcrest.Matchers.equalTo("maxEvents"));
    }
}
