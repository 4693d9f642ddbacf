package dev.journey.api.scenario;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;

/** A project with a webhook channel and the small verbs scenarios are written in. */
class ScenarioSupport implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** The next webhook: {subjectId, stepId, body} of its content. */
    record Delivered(String subjectId, String stepId, String body, long receivedAtNanos) {}

    Delivered next(Duration timeout) throws Exception {
        WebhookReceiver.Received r = receiver.next(timeout);
        if (r == null) {
            return null;
        }
        JsonNode body = JSON.readTree(r.body());
        return new Delivered(body.path("subjectId").asText(), body.path("stepId").asText(),
                body.path("content").path("body").asText(), r.receivedAtNanos());
    }

    Delivered expect(Duration timeout) throws Exception {
        Delivered d = next(timeout);
        assertNotNull(d, "a webhook was expected");
        return d;
    }

    List<Delivered> drain(Duration quiet) throws Exception {
        List<Delivered> all = new ArrayList<>();
        for (Delivered d = next(quiet); d != null; d = next(quiet)) {
            all.add(d);
        }
        return all;
    }

    JsonPath instances(String journeyId, String query) {
        return project.api().get(project.path("/journeys/" + journeyId + "/instances" + query)).then().statusCode(200)
                .extract().jsonPath();
    }

    JsonPath stats(String journeyId) {
        return project.api().get(project.path("/journeys/" + journeyId + "/stats")).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the condition holds on the instances list (the state is written by activities, asynchronously). */
    JsonPath awaitInstances(String journeyId, String query, Predicate<JsonPath> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = instances(journeyId, query);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        fail("instances never reached the expected state: " + (last == null ? "" : last.prettify()));
        return null;
    }

    @Override
    public void close() {
        receiver.close();
    }
}
