package dev.journey.api.user;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The event catalog, users and their tags, devices and the events the engine collects by itself. */
@QuarkusTest
class EventsPlatformTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Platform");
    }

    /** The catalog is filled after the events are stored: polls it until {@code ready} holds, and returns it. */
    private JsonPath awaitCatalog(Predicate<JsonPath> ready) {
        AtomicReference<JsonPath> catalog = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            catalog.set(new JsonPath("{\"types\": " + project.api().get(project.path("/event-types")).then().statusCode(200)
                    .extract().asString() + "}"));
            assertTrue(ready.test(catalog.get()), () -> "catalog never got there: " + catalog.get().prettify());
        });
        return catalog.get();
    }

    @Test
    void theCatalogFillsItselfWithCountsAndPropertyTypes() throws Exception {
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "u1", "type": "purchase",
                  "data": {"amount": 10000, "productName": "Lamp", "at": "2024-04-19T14:23:56+09:00", "ms": 1681721331085,
                           "paid": true, "tags": ["a"], "sizes": [1, 2], "empty": [], "nothing": null}},
                 {"subjectType": "user", "subjectId": "u2", "type": "purchase", "data": {"amount": "a lot"}},
                 {"subjectType": "user", "subjectId": "u2", "type": "view"}]}""")
                .post(project.path("/track")).then().statusCode(202);
        JsonPath catalog = awaitCatalog(c -> c.getList("types.name").contains("view"));
        Map<String, Object> purchase = catalog.getMap("types.find { it.name == 'purchase' }");
        assertEquals("auto", purchase.get("source"));
        assertEquals(2, purchase.get("count"));
        assertNotNull(purchase.get("firstSeenAt"));
        assertEquals(Map.of("amount", "mixed", "productName", "string", "at", "time", "ms", "number", "paid", "boolean",
                "tags", "array<string>", "sizes", "array<number>"), purchase.get("properties"));
    }

    @Test
    void typesCanBeDeclaredByHand() throws Exception {
        project.api().body(Map.of("name", "refund", "description", "money back")).post(project.path("/event-types"))
                .then().statusCode(201).body("source", equalTo("manual")).body("count", equalTo(0));
        project.api().body(Map.of("name", "refund")).post(project.path("/event-types")).then().statusCode(409);
        project.api().body(Map.of("name", "@mine")).post(project.path("/event-types")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        project.api().body(Map.of()).post(project.path("/event-types")).then().statusCode(400);
        JsonPath before = awaitCatalog(c -> c.getList("types.name").contains("refund"));
        assertEquals(0, before.getInt("types.find { it.name == 'refund' }.count"));
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"u\", \"type\": \"refund\"}]}")
                .post(project.path("/track")).then().statusCode(202);
        JsonPath after = awaitCatalog(c -> c.getInt("types.find { it.name == 'refund' }.count") == 1);
        assertEquals("manual", after.getString("types.find { it.name == 'refund' }.source"));
        assertEquals("money back", after.getString("types.find { it.name == 'refund' }.description"));
    }

    @Test
    void tagsTakeEveryValueTypeAndNullDeletes() {
        project.api().body("""
                {"tags": {"tier": "gold", "points": 1250.5, "vip": true, "since": "2024-04-19T14:23:56+09:00",
                          "sinceMs": 1681721331085, "interests": ["shoes", "hats"], "scores": [1, 2], "old": "x"}}""")
                .put(project.path("/users/u1/tags")).then().statusCode(200)
                .body("tags.tier", equalTo("gold")).body("tags.points", equalTo(1250.5f)).body("tags.vip", equalTo(true))
                .body("tags.interests", equalTo(List.of("shoes", "hats")));
        project.api().body("{\"tags\": {\"old\": null, \"tier\": \"silver\"}}").put(project.path("/users/u1/tags")).then().statusCode(200)
                .body("tags.containsKey('old')", equalTo(false)).body("tags.tier", equalTo("silver")).body("tags.vip", equalTo(true));
        project.api().get(project.path("/users/u1")).then().statusCode(200).body("tags.tier", equalTo("silver"))
                .body("tags.scores", equalTo(List.of(1, 2)));
        project.api().body("{\"tags\": {\"nested\": {\"a\": 1}, \"mixed\": [\"a\", 1]}}").put(project.path("/users/u1/tags")).then()
                .statusCode(400).body("details.path", hasItem("tags.nested")).body("details.path", hasItem("tags.mixed"));
        project.api().body("{\"tags\": {}}").put(project.path("/users/u1/tags")).then().statusCode(400);
        project.api().body("{}").put(project.path("/users/u1/tags")).then().statusCode(400).body("details[0].path", equalTo("tags"));
        project.api().get(project.path("/users/nobody")).then().statusCode(404);
    }

    @Test
    void aDeviceRecordsFirstSessionExactlyOnceEvenWhenRegisteredConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> project.api()
                        .body(Map.of("deviceId", "d1", "userId", "u7", "platform", "ios", "pushToken", "tok", "timezone", "Asia/Seoul"))
                        .post(project.path("/devices")).then().extract().statusCode()));
            }
            int created = 0;
            for (Future<Integer> answer : answers) {
                created += answer.get() == 201 ? 1 : 0;
            }
            assertEquals(1, created, "one registration is the first");
        } finally {
            pool.shutdown();
        }
        project.api().body(Map.of("deviceId", "d1", "platform", "ios")).post(project.path("/devices")).then().statusCode(200)
                .body("firstSession", equalTo(false));
        project.api().get(project.path("/events?deviceId=d1&type=@first_session")).then().statusCode(200)
                .body("events.size()", equalTo(1)).body("events[0].data.userId", equalTo("u7"));
        project.api().body("{\"events\": [{\"subjectType\": \"device\", \"subjectId\": \"d1\", \"type\": \"app_open\"}]}")
                .post(project.path("/track")).then().statusCode(202);
        project.api().get(project.path("/events?userId=u7")).then().statusCode(200)
                .body("events.type", hasItem("app_open")).body("events.type", hasItem("@first_session"));
        project.api().get(project.path("/users/u7")).then().statusCode(200)
                .body("devices[0].deviceId", equalTo("d1")).body("devices[0].timezone", equalTo("Asia/Seoul"))
                .body("devices[0].hasPushToken", equalTo(true));
        awaitCatalog(c -> "system".equals(c.getString("types.find { it.name == '@first_session' }.source")));
    }

    @Test
    void badDevicesAre400s() {
        project.api().body(Map.of("platform", "ios")).post(project.path("/devices")).then().statusCode(400)
                .body("details[0].path", equalTo("deviceId"));
        project.api().body(Map.of("deviceId", "d", "platform", "toaster", "timezone", "Mars/Olympus")).post(project.path("/devices"))
                .then().statusCode(400).body("details.path", hasItem("platform")).body("details.path", hasItem("timezone"));
    }

    @Test
    void aWelcomeJourneyStartsOnFirstSession() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "welcome-secret-0123456789"))
                    .post(project.path("/channels")).then().statusCode(201);
            String id = project.api().body("""
                    {"name": "Welcome", "trigger": {"event": "@first_session"},
                     "steps": [{"id": "hi", "type": "message", "channel": "webhook",
                                "template": {"body": "Welcome on << entry_event.data.platform >>"}, "next": null}]}""")
                    .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
            project.api().body(Map.of("deviceId", "d2", "platform", "android")).post(project.path("/devices")).then().statusCode(201);
            WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(10));
            assertNotNull(webhook);
            assertEquals(true, webhook.body().contains("Welcome on android"));
        }
    }

    @Test
    void clientsCannotSendSystemEvents() {
        project.api().body("{\"events\": [{\"subjectType\": \"device\", \"subjectId\": \"d\", \"type\": \"@first_session\"}]}")
                .post(project.path("/track")).then().statusCode(400).body("details[0].path", equalTo("events[0].type"));
    }
}
