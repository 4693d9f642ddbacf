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

    private static String publish(TestProject project, String definition) {
        String id = project.api().body(definition).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        return id;
    }

    private static void tag(TestProject project, String user, String tag) {
        project.api().body("{\"tags\": {\"" + tag + "\": \"yes\"}}").put(project.path("/users/" + user + "/tags")).then().statusCode(200);
    }

    private static final String TAGGER = """
            {"name": "NAME", "trigger": {"event": "@tags_changed"}, "reentry": {"mode": "always"},
             "steps": [{"id": "t", "type": "updateTags", "tags": {"TAG": "seen"}, "next": null}]}""";

    @Test
    void journeysAreNotReenteredThroughTheEventsTheirOwnStepsCaused() {
        TestProject project = TestProject.create("Self-feeding");
        String alone = publish(project, TAGGER.replace("NAME", "Alone").replace("TAG", "alone"));
        tag(project, "ann", "vip");
        // ann's instance has run its step once its @tags_changed is stored: one by the API, one by the step.
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> project.api()
                .get(project.path("/events?userId=ann&type=@tags_changed")).then().statusCode(200)
                .extract().jsonPath().getList("events").size() == 2);
        // The barrier: a later change of another user's tags enters, so the step's event (stored before it) was dispatched.
        tag(project, "zed", "vip");
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> instances(project, alone, "zed") == 1);
        assertEquals(1, instances(project, alone, "ann"), "the step's own @tags_changed did not enter its journey again");
        assertEquals(2, project.api().get(project.path("/events?userId=ann&type=@tags_changed")).then().statusCode(200)
                .extract().jsonPath().getList("events").size(), "each change recorded once");
    }

    @Test
    void twoJourneysThatFeedEachOtherStopWhenBothAreInTheChainOfCauses() {
        TestProject project = TestProject.create("Ping-pong");
        String ping = publish(project, TAGGER.replace("NAME", "Ping").replace("TAG", "ping"));
        String pong = publish(project, TAGGER.replace("NAME", "Pong").replace("TAG", "pong"));
        tag(project, "bea", "vip");
        // bea's change enters both; ping's change enters pong, pong's enters ping; the changes those make name both: no more.
        await().atMost(SOON).pollInterval(Duration.ofMillis(50))
                .until(() -> instances(project, ping, "bea") == 2 && instances(project, pong, "bea") == 2);
        tag(project, "zed", "vip");
        await().atMost(SOON).pollInterval(Duration.ofMillis(50))
                .until(() -> instances(project, ping, "zed") == 2 && instances(project, pong, "zed") == 2);
        assertEquals(List.of(2, 2), List.of(instances(project, ping, "bea"), instances(project, pong, "bea")));
    }
}
