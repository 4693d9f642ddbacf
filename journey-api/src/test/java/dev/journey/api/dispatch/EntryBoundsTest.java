package dev.journey.api.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** What one user's burst of events can start: re-entry "always" is capped by the instances the user has running. */
@QuarkusTest
class EntryBoundsTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    private static int instances(TestProject project, String journey, String userId) {
        return project.api().get(project.path("/journeys/" + journey + "/instances?limit=500&userId=" + userId)).then().statusCode(200)
                .extract().jsonPath().getList("instances").size();
    }

    @Test
    void aBurstOfOneUsersEventsStartsAtMostTheCapOfRunningInstances() {
        TestProject project = TestProject.create("Burst");
        String journey = project.api().body("""
                {"name": "Browse", "trigger": {"event": "view"}, "reentry": {"mode": "always"},
                 "steps": [{"id": "w", "type": "waitForEvent", "event": "view", "timeout": "PT1H", "onEvent": null, "onTimeout": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);

        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            burst.add("{\"subjectType\": \"user\", \"subjectId\": \"binge\", \"type\": \"view\"}");
        }
        project.api().body("{\"events\": [" + String.join(",", burst) + "]}").post(project.path("/track")).then().statusCode(202);
        // The barrier: another user's later view enters, so the burst before it has been dispatched.
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"later\", \"type\": \"view\"}]}")
                .post(project.path("/track")).then().statusCode(202);
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> instances(project, journey, "later") == 1);

        assertEquals(10, instances(project, journey, "binge"), "journey.entry.max-active-per-subject caps the burst");
    }
}
