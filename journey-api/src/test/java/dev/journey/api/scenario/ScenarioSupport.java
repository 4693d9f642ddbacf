package dev.journey.api.scenario;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;

/** A project with a webhook channel and the small verbs scenarios are written in. */
class ScenarioSupport implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    final TestProject project;
    final WebhookReceiver receiver;

    ScenarioSupport(String name) throws Exception {
        project = TestProject.create(name);
        receiver = new WebhookReceiver();
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "scenario-secret-0123456789"))
                .post(project.path("/channels")).then().statusCode(201);
    }

    String publish(String definition) {
        String id = project.api().body(definition).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        return id;
    }

    void track(String subjectId, String type, String dataJson) {
        track(subjectId, type, dataJson, null);
    }

    void track(String subjectId, String type, String dataJson, String timestamp) {
        String ts = timestamp == null ? "" : ", \"timestamp\": \"" + timestamp + "\"";
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"" + subjectId + "\", \"type\": \"" + type
                        + "\", \"data\": " + dataJson + ts + "}]}")
                .post(project.path("/track")).then().statusCode(202);
    }

    /** A webhook: {subjectId, stepId, body} of its content, and the data of the event that entered the instance. */
    record Delivered(String subjectId, String stepId, String body, JsonNode entryData, long receivedAtNanos) {}

    private static Delivered delivered(WebhookReceiver.Received r) {
        try {
            JsonNode body = JSON.readTree(r.body());
            return new Delivered(body.path("subjectId").asText(), body.path("stepId").asText(),
                    body.path("content").path("body").asText(), body.path("entryEvent").path("data"), r.receivedAtNanos());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    Delivered next(Duration timeout) throws Exception {
        WebhookReceiver.Received r = receiver.next(timeout);
        return r == null ? null : delivered(r);
    }

    Delivered expect(Duration timeout) throws Exception {
        Delivered d = next(timeout);
        assertNotNull(d, "a webhook was expected");
        return d;
    }

    /** Every webhook received so far, in order of arrival, whether next() took it or not. */
    List<Delivered> delivered() {
        return receiver.all().stream().map(ScenarioSupport::delivered).toList();
    }

    /** Polls until at least {@code count} webhooks have arrived; returns all that have. */
    List<Delivered> awaitDelivered(int count) {
        return await().atMost(SOON).pollInterval(POLL).until(this::delivered, all -> all.size() >= count);
    }

    JsonPath instances(String journeyId, String query) {
        return project.api().get(project.path("/journeys/" + journeyId + "/instances" + query)).then().statusCode(200)
                .extract().jsonPath();
    }

    JsonPath stats(String journeyId) {
        return project.api().get(project.path("/journeys/" + journeyId + "/stats")).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the condition holds on the instances list (the state is written by activities, asynchronously). */
    JsonPath awaitInstances(String journeyId, String query, Predicate<JsonPath> condition) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(SOON).pollInterval(POLL).untilAsserted(() -> {
            last.set(instances(journeyId, query));
            assertTrue(condition.test(last.get()), () -> "instances never reached the expected state: " + last.get().prettify());
        });
        return last.get();
    }

    @Override
    public void close() {
        receiver.close();
    }
}
