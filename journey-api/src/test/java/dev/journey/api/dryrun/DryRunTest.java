package dev.journey.api.dryrun;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 16: a journey's draft replayed over the project's stored events in simulated time —
 * counts worked out by hand from the events below, nothing written, errors with their paths.
 */
@QuarkusTest
class DryRunTest {
    /**
     * Pro sign-ups wait three days, then up to a day for an "open"; gold users get the message, the
     * others go through a split whose one arm leads to it. Unsubscribing exits, a purchase converts.
     */
    private static final String JOURNEY = """
            {"name": "Onboarding", "trigger": {"event": "signup", "where": {"path": "data.plan", "op": "eq", "value": "pro"}},
             "exitOn": [{"event": "unsubscribe"}], "goal": {"event": "purchase"},
             "steps": [{"id": "pause", "type": "wait", "duration": "P3D", "next": "ask"},
                       {"id": "ask", "type": "waitForEvent", "event": "open", "timeout": "P1D", "onEvent": "route", "onTimeout": null},
                       {"id": "route", "type": "branch", "cases": [{"when": {"path": "user.tags.tier", "op": "eq", "value": "gold"}, "next": "hello"}],
                        "else": "ab"},
                       {"id": "ab", "type": "split", "arms": [{"name": "a", "percent": 100, "next": "hello"}, {"name": "b", "percent": 0, "next": null}]},
                       {"id": "hello", "type": "message", "channel": "webhook",
                        "template": {"body": "Hi << entry_event.data.name >> (<< user.tags.tier | default: 'none' >>)"}, "next": null}]}""";

    @Inject
    Sql sql;

    private TestProject project;
    private Instant t0;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Dry run");
        t0 = Instant.now().minus(Duration.ofDays(6));
    }

    private static Map<String, Object> event(String user, String type, Instant at, Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("subjectType", "user");
        e.put("subjectId", user);
        e.put("type", type);
        e.put("timestamp", at.toString());
        e.put("data", data);
        return e;
    }

    private void track(List<Map<String, Object>> events) {
        project.api().body(Map.of("events", events)).post(project.path("/track")).then().statusCode(202);
    }

    private String draft(String definition) {
        return project.api().body(definition).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
    }

    /** Rows anyone could see, in every table a journey writes: instances, entries, messages, events, the catalog's counts. */
    private List<Long> visibleRows() {
        List<Long> counts = new ArrayList<>();
        for (String table : List.of("journey_instance", "message", "event")) {
            counts.add(sql.first("SELECT count(*) FROM " + table + " WHERE project_id = ?", rs -> rs.getLong(1), project.id()).orElseThrow());
        }
        counts.add(sql.first("SELECT count(*) FROM journey_entry e JOIN journey j ON j.id = e.journey_id WHERE j.project_id = ?",
                rs -> rs.getLong(1), project.id()).orElseThrow());
        counts.add(sql.first("SELECT coalesce(sum(count), 0) FROM event_type WHERE project_id = ?", rs -> rs.getLong(1), project.id())
                .orElseThrow());
        return counts;
    }

    /** The dispatcher counts every event in the catalog once it has taken it: then nothing of the tracking is still being written. */
    private void awaitDispatched(long events) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> sql.first(
                "SELECT coalesce(sum(count), 0) FROM event_type WHERE project_id = ?", rs -> rs.getLong(1), project.id()).orElseThrow() >= events
                && sql.first("SELECT count(*) FROM dispatch_pending o JOIN event e ON e.id = o.event_id WHERE e.project_id = ?",
                        rs -> rs.getLong(1), project.id()).orElseThrow() == 0);
    }

    @Test
    void theDraftIsReplayedInSimulatedTimeWithCountsWorkedOutByHandAndNothingWritten() {
        project.api().body(Map.of("tags", Map.of("tier", "gold"))).put(project.path("/users/u1/tags")).then().statusCode(200);
        Duration day = Duration.ofDays(1);
        Map<String, Object> pro = Map.of("plan", "pro");
        track(List.of(
                event("u1", "signup", t0, Map.of("plan", "pro", "name", "Ann")),
                event("u1", "signup", t0.plus(Duration.ofHours(1)), pro),                   // once: not again
                event("u1", "pageview", t0.plus(Duration.ofHours(2)), Map.of()),            // no step listens: not read
                event("u1", "open", t0.plus(day.multipliedBy(3)).plus(Duration.ofHours(1)), Map.of()),   // within ask's day
                event("u2", "signup", t0, pro),                                             // no open: ask times out
                event("u3", "signup", t0, Map.of("plan", "free")),                          // trigger condition
                event("u4", "signup", t0, pro),
                event("u4", "unsubscribe", t0.plus(day), Map.of()),                         // exits while waiting
                event("u5", "signup", t0, Map.of("plan", "pro", "name", "Eve")),
                event("u5", "open", t0.plus(day), Map.of()),                                // heard early: ask takes it at once
                event("u6", "signup", Instant.now().minus(day), pro),                       // still in the 3-day wait
                event("u7", "signup", t0, pro),
                event("u7", "purchase", t0.plus(day.multipliedBy(2)), Map.of())));          // converts
        String id = draft(JOURNEY);
        awaitDispatched(14);
        List<Long> before = visibleRows();

        JsonPath run = project.api().body(Map.of("since", "P7D")).post(project.path("/journeys/" + id + "/dry-run"))
                .then().statusCode(200).extract().jsonPath();

        assertEquals(id, run.getString("journeyId"));
        assertEquals(12, run.getInt("eventsRead"));
        assertEquals(6, run.getInt("entries"));
        assertEquals(Map.of("condition", 1, "reentry", 1), run.getMap("notEntered"));
        assertEquals(Map.of("reached", 6, "waiting", 1, "ended", 3), run.getMap("steps.pause"));
        assertEquals(Map.of("reached", 3, "waiting", 0, "endedByEvent", 2, "endedByTimeout", 1), run.getMap("steps.ask"));
        assertEquals(Map.of("reached", 2, "cases", List.of(1), "else", 1), run.getMap("steps.route"));
        assertEquals(Map.of("reached", 1, "arms", Map.of("a", 1, "b", 0)), run.getMap("steps.ab"));
        assertEquals(Map.of("reached", 2), run.getMap("steps.hello"));
        assertEquals(Map.of("byChannel", Map.of("webhook", 2), "capped", 0, "held", 0, "failed", 0, "suppressed", 0), run.getMap("messages"));
        assertEquals(Map.of("completed", 3, "exited", 1, "converted", 1, "stillActive", 1), run.getMap("ended"));
        assertEquals(List.of(), run.getList("templateErrors"));
        assertEquals(false, run.getBoolean("truncated"));
        Map<String, String> samples = new LinkedHashMap<>();
        run.getList("samples", Map.class).forEach(s -> samples.put((String) s.get("userId"), (String) ((Map<?, ?>) s.get("rendered")).get("body")));
        assertEquals(Map.of("u1", "Hi Ann (gold)", "u5", "Hi Eve (none)"), samples);

        assertEquals(before, visibleRows(), "instances, entries, messages, events and catalog counts are unchanged");
    }

    @Test
    void anUnsavedDefinitionRunsInsteadOfTheDraftAndItsTemplateErrorsNameTheUsers() {
        track(List.of(event("x1", "order", t0, Map.of("d", 0)), event("x2", "order", t0, Map.of("d", 0)),
                event("x3", "order", t0, Map.of("d", 4))));
        String id = draft(JOURNEY);
        awaitDispatched(3);
        String unsaved = """
                {"name": "Orders", "trigger": {"event": "order"},
                 "steps": [{"id": "share", "type": "message", "channel": "email",
                            "template": {"subject": "Order", "text": "Each pays << 100 | divided_by: entry_event.data.d >>"}, "next": null}]}""";
        JsonPath run = project.api().body("{\"since\": \"P7D\", \"definition\": " + unsaved + "}")
                .post(project.path("/journeys/" + id + "/dry-run")).then().statusCode(200).extract().jsonPath();

        assertEquals(3, run.getInt("entries"));
        assertEquals(Map.of("byChannel", Map.of("email", 1), "capped", 0, "held", 0, "failed", 2, "suppressed", 0), run.getMap("messages"));
        assertEquals(1, run.getList("templateErrors").size());
        assertEquals("share", run.getString("templateErrors[0].stepId"));
        assertEquals("text", run.getString("templateErrors[0].field"));
        assertEquals(List.of("x1", "x2"), run.getList("templateErrors[0].users"));
        assertEquals(2, run.getInt("templateErrors[0].count"));
        assertEquals("Each pays 25", run.getString("samples[0].rendered.text"));
        assertEquals("x3", run.getString("samples[0].userId"));
    }

    @Test
    void frequencyCapsAndQuietHoursApplyAsASendAppliesThemCountingOnlyThisRunsMessages() {
        project.api().body("""
                {"frequencyCaps": [{"channel": "webhook", "limit": 1, "period": "P1D"}],
                 "quietHours": {"start": "00:00", "end": "06:00", "channels": ["email"]}}""")
                .put(project.path("/delivery-settings")).then().statusCode(200);
        Instant day = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        track(List.of(event("c1", "order", day.plus(Duration.ofHours(3)), Map.of()),      // e-mail in quiet hours (UTC): held
                event("c2", "order", day.plus(Duration.ofHours(12)), Map.of()),
                event("c1", "order", day.plus(Duration.ofHours(60)), Map.of())));        // again, after the cap's day
        String id = draft("""
                {"name": "Receipts", "trigger": {"event": "order"}, "reentry": {"mode": "always"},
                 "steps": [{"id": "first", "type": "message", "channel": "webhook", "template": {"body": "one"}, "next": "second"},
                           {"id": "second", "type": "message", "channel": "webhook", "template": {"body": "two"}, "next": "mail"},
                           {"id": "mail", "type": "message", "channel": "email", "template": {"subject": "s", "text": "t"}, "next": null}]}""");
        awaitDispatched(3);
        JsonPath run = project.api().body(Map.of("since", "P7D")).post(project.path("/journeys/" + id + "/dry-run"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, run.getInt("entries"));
        assertEquals(Map.of("byChannel", Map.of("webhook", 3, "email", 3), "capped", 3, "held", 1, "failed", 0, "suppressed", 0), run.getMap("messages"));
        assertEquals(Map.of("completed", 3, "exited", 0, "converted", 0, "stillActive", 0), run.getMap("ended"));
    }

    @Test
    void usersNotSubscribedToAMessagesTopicAreSuppressedAsTheyChoseNow() {
        project.api().body(Map.of("id", "news", "name", "News")).post(project.path("/topics")).then().statusCode(201);
        project.api().body("{\"subscriptions\": [{\"topic\": \"news\", \"channel\": \"webhook\", \"status\": \"unsubscribed\"}]}")
                .put(project.path("/users/s2/subscriptions")).then().statusCode(200);
        track(List.of(event("s1", "order", t0, Map.of()), event("s2", "order", t0, Map.of())));
        String id = draft("""
                {"name": "News", "trigger": {"event": "order"},
                 "steps": [{"id": "news", "type": "message", "channel": "webhook", "topic": "news", "template": {"body": "n"}, "next": "receipt"},
                           {"id": "receipt", "type": "message", "channel": "webhook", "topic": "news", "transactional": true,
                            "template": {"body": "r"}, "next": null}]}""");
        awaitDispatched(2);
        JsonPath run = project.api().body(Map.of("since", "P7D")).post(project.path("/journeys/" + id + "/dry-run"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("byChannel", Map.of("webhook", 3), "capped", 0, "held", 0, "failed", 0, "suppressed", 1), run.getMap("messages"),
                "s2's news suppressed; the transactional receipt goes to both");
    }

    @Test
    void aBadPeriodOrDefinitionIsRefusedWithItsPath() {
        String id = draft(JOURNEY);
        project.api().body(Map.of("since", "last week")).post(project.path("/journeys/" + id + "/dry-run")).then().statusCode(400)
                .body("details[0].path", equalTo("since")).body("details[0].message", containsString("P7D"));
        project.api().body(Map.of("since", "P1D", "until", "P2D")).post(project.path("/journeys/" + id + "/dry-run")).then()
                .statusCode(400).body("details[0].path", equalTo("until"));
        project.api().body(Map.of("since", 7)).post(project.path("/journeys/" + id + "/dry-run")).then().statusCode(400)
                .body("details[0].path", equalTo("since"));
        project.api().body(Map.of("since", "P1D", "from", "P2D")).post(project.path("/journeys/" + id + "/dry-run")).then()
                .statusCode(400).body("details.path", hasItem("from"));
        project.api().body("{\"definition\": " + JOURNEY.replace("\"P3D\"", "\"three days\"") + "}")
                .post(project.path("/journeys/" + id + "/dry-run")).then().statusCode(422)
                .body("details.path", hasItem("definition.steps[0].duration"));
        project.api().post(project.path("/journeys/" + id + "/dry-run?wait=soon")).then().statusCode(400)
                .body("details[0].path", equalTo("wait"));
    }

    @Test
    void anUnknownJourneyOrRunIsNotFound() {
        project.api().body(Map.of("since", "P7D")).post(project.path("/journeys/jrn_nope/dry-run")).then().statusCode(404);
        String id = draft(JOURNEY);
        project.api().get(project.path("/journeys/" + id + "/dry-runs/dry_nope")).then().statusCode(404);
        TestProject other = TestProject.create("Other");
        other.api().body(Map.of("since", "P7D")).post(other.path("/journeys/" + id + "/dry-run")).then().statusCode(404);
    }

    @Test
    void aRunNotFinishedWithinTheWaitAnswers202AndIsFollowedByItsId() {
        track(List.of(event("p1", "signup", t0, Map.of("plan", "pro")), event("p2", "signup", t0, Map.of("plan", "pro"))));
        String id = draft(JOURNEY);
        awaitDispatched(2);
        // No wait at all: the answer is always the run's id and progress, finished or not.
        JsonPath accepted = project.api().body(Map.of("since", "P7D")).post(project.path("/journeys/" + id + "/dry-run?wait=PT0S"))
                .then().statusCode(202).header("Location", containsString("/dry-runs/"))
                .body("id", notNullValue()).body("status", anyOf(equalTo("running"), equalTo("done")))
                .body("progress.eventsRead", notNullValue()).extract().jsonPath();
        String runId = accepted.getString("id");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                project.api().get(project.path("/journeys/" + id + "/dry-runs/" + runId)).then().statusCode(200)
                        .body("status", equalTo("done")));
        project.api().get(project.path("/journeys/" + id + "/dry-runs/" + runId)).then().statusCode(200)
                .body("result.entries", equalTo(2)).body("result.id", equalTo(runId)).body("progress.eventsRead", equalTo(2));
        TestProject other = TestProject.create("Other");
        other.api().get(other.path("/journeys/" + id + "/dry-runs/" + runId)).then().statusCode(404);
    }
}
