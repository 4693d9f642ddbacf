package dev.journey.api.segment;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class SegmentApiTest {
    private static final String GOLD_BUYERS = """
            {"all": [{"event": "purchase", "within": "P30D", "count": {"gte": 3}, "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                     {"path": "user.tags.tier", "op": "eq", "value": "gold"}]}""";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Segments");
    }

    private void purchases(String user, int count, int amount, int daysAgo) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String at = Instant.now().minus(daysAgo, ChronoUnit.DAYS).minusSeconds(i).toString();
            events.append(i == 0 ? "" : ",").append("{\"subjectType\": \"user\", \"subjectId\": \"").append(user)
                    .append("\", \"type\": \"purchase\", \"timestamp\": \"").append(at).append("\", \"data\": {\"amount\": ").append(amount).append("}}");
        }
        project.api().body("{\"events\": [" + events + "]}").post(project.path("/track")).then().statusCode(202);
    }

    private void tier(String user, String tier) {
        project.api().body(Map.of("tags", Map.of("tier", tier))).put(project.path("/users/" + user + "/tags")).then().statusCode(200);
    }

    private int count(String condition) {
        return project.api().body("{\"condition\": " + condition + "}").post(project.path("/segments/preview"))
                .then().statusCode(200).extract().path("count");
    }

    /** Users appear as their events are stored; the counts below are only meaningful once all of them have. */
    private void awaitUsers(int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(n, count("{\"not\": {\"path\": \"user.id\", \"op\": \"eq\", \"value\": \"nobody\"}}"),
                        "users in the project"));
    }

    @Test
    void countsMembersAndPages() throws Exception {
        purchases("gold3", 3, 6000, 1);
        tier("gold3", "gold");
        purchases("gold2", 2, 6000, 1);
        tier("gold2", "gold");
        purchases("silver3", 3, 6000, 2);
        tier("silver3", "silver");
        purchases("goldCheap", 3, 100, 1);
        tier("goldCheap", "gold");
        purchases("goldOld", 3, 6000, 40);
        tier("goldOld", "gold");
        purchases("goldMixed", 2, 6000, 3);
        purchases("goldMixed", 2, 6000, 45);
        purchases("goldMixed", 1, 9000, 10);
        tier("goldMixed", "gold");
        awaitUsers(6);

        String id = project.api().body("{\"name\": \"Gold buyers\", \"condition\": " + GOLD_BUYERS + "}")
                .post(project.path("/segments")).then().statusCode(201).extract().path("id");
        project.api().get(project.path("/segments/" + id + "/count")).then().statusCode(200).body("count", equalTo(2));
        List<String> members = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = project.api().queryParam("limit", 1).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get(project.path("/segments/" + id + "/members")).then().statusCode(200).extract().jsonPath();
            members.addAll(page.getList("members", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of("gold3", "goldMixed"), members);

        assertEquals(5, count("{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}"));
        assertEquals(1, count("{\"not\": {\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}}"));
        assertEquals(2, count("{\"event\": \"purchase\", \"within\": \"P30D\", \"count\": {\"lt\": 3}}"),
                "fewer than 3 in 30 days: gold2 and goldOld (who has none in the window)");
        assertEquals(6, count("{\"any\": [{\"event\": \"purchase\"}, {\"path\": \"user.tags.tier\", \"op\": \"exists\"}]}"));
        String lastMonth = Instant.now().minus(50, ChronoUnit.DAYS).toString();
        String weeksAgo = Instant.now().minus(35, ChronoUnit.DAYS).toString();
        assertEquals(2, count("{\"event\": \"purchase\", \"from\": \"" + lastMonth + "\", \"to\": \"" + weeksAgo + "\"}"),
                "between dates: goldOld and goldMixed");
        assertEquals(1, count("{\"all\": [{\"segment\": \"" + id + "\"}, {\"path\": \"user.id\", \"op\": \"eq\", \"value\": \"gold3\"}]}"),
                "a segment inside a segment");
    }

    @Test
    void definitionsAreValidatedWithPaths() {
        project.api().body("{\"name\": \"\", \"condition\": {\"path\": \"data.amount\", \"op\": \"gte\", \"value\": 1}}")
                .post(project.path("/segments")).then().statusCode(422)
                .body("details.path", hasItem("name")).body("details.path", hasItem("condition.path"));
        project.api().body("{\"name\": \"x\", \"condition\": {\"event\": \"purchase\", \"since\": \"entry\"}}")
                .post(project.path("/segments")).then().statusCode(422).body("details[0].path", equalTo("condition.since"));
        project.api().body("{\"name\": \"x\", \"condition\": {\"event\": \"purchase\", \"within\": \"soon\", \"count\": {\"about\": 3}}}")
                .post(project.path("/segments")).then().statusCode(422)
                .body("details.path", hasItem("condition.within")).body("details.path", hasItem("condition.count.about"));
        project.api().body("{\"name\": \"x\", \"condition\": {\"segment\": \"seg_nope\"}}")
                .post(project.path("/segments")).then().statusCode(422).body("details[0].message", containsString("seg_nope"));
        project.api().body("{\"condition\": {\"path\": \"user.tags.x\", \"op\": \"roughly\", \"value\": 1}}")
                .post(project.path("/segments/preview")).then().statusCode(422).body("details[0].path", equalTo("condition.op"));
        project.api().get(project.path("/segments/seg_nope/count")).then().statusCode(404);
    }

    /** A chain of segments that comes back to itself, or nests past what compiles, is refused at save: never a 500 later. */
    @Test
    void segmentsThatReferToEachOtherInACircleOrTooDeepAreRefused() {
        String a = segment("{\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}");
        String b = segment("{\"segment\": \"" + a + "\"}");
        project.api().body("{\"name\": \"A\", \"condition\": {\"not\": {\"segment\": \"" + b + "\"}}}")
                .put(project.path("/segments/" + a)).then().statusCode(422)
                .body("details[0].path", equalTo("condition"))
                .body("details[0].message", containsString("circle"));
        project.api().get(project.path("/segments/" + b + "/count")).then().statusCode(200).body("count", equalTo(0));

        // Nine levels of references: one more than a condition may nest.
        String chain = a;
        for (int i = 0; i < 8; i++) {
            chain = segment("{\"segment\": \"" + chain + "\"}");
        }
        project.api().body("{\"name\": \"deep\", \"condition\": {\"segment\": \"" + chain + "\"}}")
                .post(project.path("/segments")).then().statusCode(422)
                .body("details[0].path", equalTo("condition"))
                .body("details[0].message", containsString("levels deep"));
        project.api().body("{\"condition\": {\"segment\": \"" + chain + "\"}}")
                .post(project.path("/segments/preview")).then().statusCode(422);
    }

    private String segment(String condition) {
        return project.api().body("{\"name\": \"s\", \"condition\": " + condition + "}")
                .post(project.path("/segments")).then().statusCode(201).extract().path("id");
    }

    @Test
    void crud() {
        String id = project.api().body("{\"name\": \"Gold\", \"condition\": {\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}}")
                .post(project.path("/segments")).then().statusCode(201).extract().path("id");
        project.api().get(project.path("/segments")).then().statusCode(200).body("id", hasItem(id));
        project.api().body("{\"name\": \"Silver\", \"condition\": {\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"silver\"}}")
                .put(project.path("/segments/" + id)).then().statusCode(200).body("name", equalTo("Silver"));
        TestProject other = TestProject.create("Other");
        other.api().get(other.path("/segments/" + id)).then().statusCode(404);
        project.api().delete(project.path("/segments/" + id)).then().statusCode(204);
        project.api().get(project.path("/segments/" + id)).then().statusCode(404);
    }

    @Test
    void aUserWhoEntersASegmentEntersTheJourneyAndBranchesFollowMembership() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "segment-secret-0123456789"))
                    .post(project.path("/channels")).then().statusCode(201);
            String segment = project.api().body("{\"name\": \"Gold buyers\", \"condition\": " + GOLD_BUYERS + "}")
                    .post(project.path("/segments")).then().statusCode(201).extract().path("id");
            String entry = project.api().body("""
                    {"name": "VIP welcome", "trigger": {"segment": "SEG"},
                     "steps": [{"id": "hi", "type": "message", "channel": "webhook", "template": {"body": "Welcome to VIP, << user.id >>"}, "next": null}]}"""
                    .replace("SEG", segment)).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + entry + "/publish")).then().statusCode(200);
            String branch = project.api().body("""
                    {"name": "Thanks", "trigger": {"event": "review_written"}, "reentry": {"mode": "always"},
                     "steps": [{"id": "b", "type": "branch", "cases": [{"when": {"segment": "SEG"}, "next": "vip"}], "else": "plain"},
                               {"id": "vip", "type": "message", "channel": "webhook", "template": {"body": "VIP thanks"}, "next": null},
                               {"id": "plain", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": null}]}"""
                    .replace("SEG", segment)).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + branch + "/publish")).then().statusCode(200);
            project.api().body("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_missing\"}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}")
                    .post(project.path("/journeys")).then().statusCode(422).body("details[0].path", equalTo("trigger.segment"));

            tier("ann", "gold");
            purchases("ann", 2, 7000, 0);
            project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"ann\", \"type\": \"review_written\"}]}")
                    .post(project.path("/track")).then().statusCode(202);
            WebhookReceiver.Received first = receiver.next(Duration.ofSeconds(10));
            assertNotNull(first);
            assertEquals(true, first.body().contains("\"Thanks\""), "not yet in the segment: " + first.body());

            long third = System.nanoTime();
            purchases("ann", 1, 7000, 0);
            WebhookReceiver.Received welcome = receiver.next(Duration.ofSeconds(10));
            assertNotNull(welcome, "entering the segment entered the journey");
            System.out.printf("segment entry -> journey message: %d ms%n", (welcome.receivedAtNanos() - third) / 1_000_000);
            assertEquals(true, welcome.body().contains("Welcome to VIP, ann"), welcome.body());

            project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"ann\", \"type\": \"review_written\"}]}")
                    .post(project.path("/track")).then().statusCode(202);
            WebhookReceiver.Received second = receiver.next(Duration.ofSeconds(10));
            assertNotNull(second);
            assertEquals(true, second.body().contains("VIP thanks"), second.body());

            purchases("ann", 1, 7000, 0);
            assertEquals(null, receiver.next(Duration.ofMillis(500)), "already a member: no second entry");

            // The barrier: another user entering the segment later must enter the journey, so the silence
            // above was ann's membership at work and not a segment evaluation that had stopped.
            tier("bob", "gold");
            purchases("bob", 3, 7000, 0);
            WebhookReceiver.Received bob = receiver.next(Duration.ofSeconds(10));
            assertNotNull(bob, "a later member was not welcomed");
            assertEquals(true, bob.body().contains("Welcome to VIP, bob"), bob.body());
            assertEquals(1, receiver.all().stream().filter(r -> r.body().contains("Welcome to VIP, ann")).count(), "ann welcomed once");
            project.api().get(project.path("/events?userId=ann&type=@segment_entered")).then().statusCode(200)
                    .body("events.size()", equalTo(1)).body("events[0].data.segmentId", equalTo(segment));
        }
    }
}
