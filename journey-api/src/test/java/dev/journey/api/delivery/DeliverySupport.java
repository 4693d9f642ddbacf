package dev.journey.api.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import dev.journey.api.support.TestProject;
import io.restassured.path.json.JsonPath;

/** The verbs of the delivery tests: channels, journeys with one message step, events, and the message log. */
final class DeliverySupport {
    private DeliverySupport() {}

    static String channel(TestProject p, Map<String, Object> body) {
        return p.api().body(body).post(p.path("/channels")).then().statusCode(201).extract().path("id");
    }

    /** Publishes "on <event>: send this step" and returns the journey id. */
    static String journey(TestProject p, String event, String stepJson) {
        String id = p.api().body("{\"name\": \"" + event + "\", \"trigger\": {\"event\": \"" + event + "\"}, \"reentry\": {\"mode\": \"always\"},"
                        + " \"steps\": [" + stepJson + "]}")
                .post(p.path("/journeys")).then().statusCode(201).extract().path("id");
        p.api().post(p.path("/journeys/" + id + "/publish")).then().statusCode(200);
        return id;
    }

    static void track(TestProject p, String userId, String type, String dataJson) {
        p.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"" + userId + "\", \"type\": \"" + type
                + "\", \"data\": " + dataJson + "}]}").post(p.path("/track")).then().statusCode(202);
    }

    static void tags(TestProject p, String userId, Map<String, Object> tags) {
        p.api().body(Map.of("tags", tags)).put(p.path("/users/" + userId + "/tags")).then().statusCode(200);
    }

    static List<Map<String, Object>> messages(TestProject p, String query) {
        return p.api().get(p.path("/messages" + query)).then().statusCode(200).extract().jsonPath().getList("messages");
    }

    /** Polls the message log of a journey until its one message satisfies the condition; returns it. */
    static JsonPath awaitMessage(TestProject p, String journeyId, Predicate<JsonPath> condition) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last.set(p.api().get(p.path("/messages?journeyId=" + journeyId)).then().statusCode(200).extract().jsonPath());
            assertTrue(!last.get().getList("messages").isEmpty() && condition.test(last.get()),
                    () -> "the message never reached the expected state: " + last.get().prettify());
        });
        return last.get();
    }

    static List<Map<String, Object>> events(TestProject p, String userId, String type) {
        return p.api().queryParam("userId", userId).queryParam("type", type).get(p.path("/events")).then().statusCode(200)
                .extract().jsonPath().getList("events");
    }
}
