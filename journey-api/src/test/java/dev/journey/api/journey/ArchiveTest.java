package dev.journey.api.journey;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class ArchiveTest {
    @Inject
    Sql sql;

    @Test
    void instancesOfAJourneyArchivedWithoutTheirStopSignalsAreStoppedByTheSweep() {
        TestProject project = TestProject.create("Archive");
        String journey = project.api().body("""
                {"name": "Long wait", "trigger": {"event": "signup"}, "steps": [{"id": "w", "type": "wait", "duration": "PT1H", "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
        for (String user : List.of("ann", "bob", "cy")) {
            project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"" + user + "\", \"type\": \"signup\"}]}")
                    .post(project.path("/track")).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> instances(project, journey, "?status=active").getList("instances").size() == 3);

        // What a crash right after the archive's commit leaves: the journey archived, no instance told.
        sql.update("UPDATE journey SET status = 'archived' WHERE id = ?", journey);

        JsonPath exited = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> instances(project, journey, "?status=exited"), page -> page.getList("instances").size() == 3);
        assertEquals(List.of("archived", "archived", "archived"), exited.getList("instances.endReason"));
    }

    private static JsonPath instances(TestProject project, String journey, String query) {
        return project.api().get(project.path("/journeys/" + journey + "/instances" + query)).then().statusCode(200).extract().jsonPath();
    }
}
