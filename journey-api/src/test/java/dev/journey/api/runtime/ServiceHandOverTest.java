package dev.journey.api.runtime;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Replacing the in-process Temporal service (what keeps finished journeys from piling up in the heap)
 * holds up only the journeys that ran on the old service, and only until its worker has drained:
 * new entries start on the new service at once, and a signal for a journey being handed over
 * reaches it once it runs again.
 */
@QuarkusTest
class ServiceHandOverTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    InstanceRecovery recovery;
    @Inject
    TemporalRuntime temporal;

    private TestProject slow;
    private TestProject quick;
    private WebhookReceiver slowReceiver;
    private WebhookReceiver quickReceiver;

    @BeforeEach
    void setUp() throws Exception {
        slowReceiver = new WebhookReceiver();
        quickReceiver = new WebhookReceiver();
        slow = TestProject.create("Hand-over, slow receiver");
        quick = TestProject.create("Hand-over, quick receiver");
        slow.api().body(Map.of("type", "webhook", "url", slowReceiver.url(), "timeout", "PT25S"))
                .post(slow.path("/channels")).then().statusCode(201);
        quick.api().body(Map.of("type", "webhook", "url", quickReceiver.url()))
                .post(quick.path("/channels")).then().statusCode(201);
    }

    @AfterEach
    void tearDown() {
        slowReceiver.close();
        quickReceiver.close();
    }

    @Test
    void newJourneysRunOnTheNewServiceWhileTheOldWorkerDrainsAndWaitingOnesHearTheirEvents() throws Exception {
        String slowThanks = publish(slow, """
                {"name": "Thanks", "trigger": {"event": "purchase"},
                 "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": null}]}""");
        String quickThanks = publish(quick, """
                {"name": "Thanks", "trigger": {"event": "purchase"},
                 "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": null}]}""");
        String review = publish(quick, """
                {"name": "Review", "trigger": {"event": "ordered"},
                 "steps": [{"id": "wait", "type": "waitForEvent", "event": "reviewed", "timeout": "PT1H",
                            "onEvent": "glad", "onTimeout": null},
                           {"id": "glad", "type": "message", "channel": "webhook", "template": {"body": "Glad you wrote"}, "next": null}]}""");

        // On the old service: a journey waiting for an event, and a send under way that the receiver holds.
        track(quick, "reader", "ordered");
        await("the reader waits for a review").atMost(SOON).pollInterval(POLL)
                .until(() -> instances(quick, review, "active"), equalTo(1));
        slowReceiver.holdAnswers();
        track(slow, "early", "purchase");
        assertNotNull(slowReceiver.next(SOON), "the early purchase's webhook is under way");

        CompletableFuture<Void> replacement = CompletableFuture.runAsync(() -> recovery.replaceService(0));
        try {
            await("the running journeys are being handed over").atMost(SOON).pollInterval(Duration.ofMillis(5))
                    .until(temporal::workerState, equalTo("replacing"));

            track(quick, "late", "purchase");
            WebhookReceiver.Received late = quickReceiver.next(SOON);
            assertNotNull(late, "a journey entered during the hand-over waited for the old worker's send to finish");
            assertEquals("late", JSON.readTree(late.body()).path("subjectId").asText());
            assertFalse(replacement.isDone(), "the old worker is still draining: its send is held");

            // Its journey is on the old service, which no longer runs it: the signal waits for the hand-over.
            track(quick, "reader", "reviewed");
        } finally {
            slowReceiver.releaseAnswers();
        }
        replacement.get(30, TimeUnit.SECONDS);

        WebhookReceiver.Received glad = quickReceiver.next(SOON);
        assertNotNull(glad, "the review reached the journey handed over to the new service");
        assertEquals("reader", JSON.readTree(glad.body()).path("subjectId").asText());
        await("every journey ended").atMost(SOON).pollInterval(POLL).until(() -> instances(slow, slowThanks, "active")
                + instances(quick, quickThanks, "active") + instances(quick, review, "active"), equalTo(0));
        assertEquals(1, slowReceiver.all().size(), "the send finished during the drain is not sent again after the hand-over");
        assertEquals(2, quickReceiver.all().size());
        assertEquals("sent", slow.api().get(slow.path("/messages")).then().statusCode(200).extract().path("messages[0].status"));
        assertEquals("running", temporal.workerState());
    }

    private static String publish(TestProject project, String journey) {
        String id = project.api().body(journey).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        return id;
    }

    private static void track(TestProject project, String user, String type) {
        project.api().body(Map.of("events", java.util.List.of(Map.of("subjectType", "user", "subjectId", user, "type", type))))
                .post(project.path("/track")).then().statusCode(202);
    }

    private static int instances(TestProject project, String journey, String status) {
        return project.api().get(project.path("/journeys/" + journey + "/instances?status=" + status)).then().statusCode(200)
                .extract().jsonPath().getList("instances").size();
    }
}
