package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;

class JourneyValidatorTest {
    private final JourneyValidator validator = new JourneyValidator(new TemplateRenderer());
    private final ObjectMapper json = new ObjectMapper();

    private List<Problem> problems(String definition) throws Exception {
        return validator.validate(json.readTree(definition));
    }

    private List<String> paths(String definition) throws Exception {
        return problems(definition).stream().map(Problem::path).toList();
    }

    @Test
    void aJourneyWithEveryStepTypeHasNoProblemsAndReadsIntoTypes() throws Exception {
        String good = """
                {"name": "All", "trigger": {"event": "purchase", "where": {"all": [{"path": "data.amount", "op": "gte", "value": 5000},
                                                                                {"event": "purchase", "since": "P30D", "count": {"gte": 2}}]}},
                 "reentry": {"mode": "cooldown", "cooldown": "P7D"}, "transactional": true,
                 "exitOn": [{"event": "refund", "where": {"path": "data.orderId", "op": "eq", "valueFrom": "entry_event.data.orderId"}}],
                 "goal": {"event": "review_written"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "Hi << entry_event.data.x >>"}, "next": "b"},
                           {"id": "b", "type": "wait", "duration": "P3D", "next": "c"},
                           {"id": "c", "type": "waitForEvent", "event": "purchase", "timeout": "PT1H", "onEvent": "d", "onTimeout": "e"},
                           {"id": "d", "type": "branch", "cases": [{"when": {"event": "review_written", "since": "entry"}, "next": null}], "else": "e"},
                           {"id": "e", "type": "split", "arms": [{"name": "A", "percent": 30, "next": "f"}, {"name": "B", "percent": 70, "next": "g"}]},
                           {"id": "f", "type": "updateTags", "tags": {"tier": "gold", "old": null, "list": ["a"]}, "next": "g"},
                           {"id": "g", "type": "wait", "until": "09:00", "next": "h"},
                           {"id": "h", "type": "exit"}]}""";
        assertEquals(List.of(), problems(good));
        JourneyDefinition journey = json.readValue(good, JourneyDefinition.class);
        assertEquals(8, journey.steps().size());
        assertEquals(java.util.Set.of("refund", "review_written", "purchase"), journey.listensTo());
        assertEquals(true, journey.isTransactional());
    }

    @Test
    void aSegmentTriggerFiresOnEnteringOrOnLeaving() throws Exception {
        String steps = ", \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}";
        assertEquals(List.of(), problems("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\"}" + steps));
        assertEquals(List.of(), problems("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\", \"on\": \"enter\"}" + steps));
        String exit = "{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\", \"on\": \"exit\"}" + steps;
        assertEquals(List.of(), problems(exit));
        JourneyDefinition leaving = json.readValue(exit, JourneyDefinition.class);
        assertEquals(EventMatch.SEGMENT_EXITED, leaving.trigger().eventType());
        assertEquals(EventMatch.SEGMENT_ENTERED,
                json.readValue("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\"}" + steps, JourneyDefinition.class).trigger().eventType());

        assertEquals(List.of("trigger.on"), paths("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\", \"on\": \"leave\"}" + steps));
        assertEquals(List.of("trigger.on"), paths("{\"name\": \"x\", \"trigger\": {\"segment\": \"seg_a\", \"on\": 1}" + steps));
        assertEquals(List.of("trigger.on"), paths("{\"name\": \"x\", \"trigger\": {\"event\": \"purchase\", \"on\": \"exit\"}" + steps),
                "only a segment trigger has on");
    }

    @Test
    void namesInAnyScriptAreValidInConditionsAndTemplates() throws Exception {
        assertEquals(List.of(), problems("""
                {"name": "감사", "trigger": {"event": "purchase", "where": {"path": "data.이름", "op": "exists"}},
                 "steps": [{"id": "a", "type": "branch", "cases": [{"when": {"path": "user.tags.등급", "op": "eq", "value": "골드"}, "next": "b"}],
                            "else": "b"},
                           {"id": "b", "type": "message", "channel": "webhook",
                            "template": {"body": "<< entry_event.data.이름 | default: \\"고객\\" >>님, 감사합니다"}, "next": null}]}"""));
    }

    @Test
    void leftoverDelimitersInATemplateAreAProblemWithItsPathLineAndColumn() throws Exception {
        List<Problem> found = problems("""
                {"name": "Left", "trigger": {"event": "purchase"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "Hi\\n  << user.name | default 'x' >>"},
                            "next": null}]}""");
        assertEquals(1, found.size(), found.toString());
        assertEquals("steps[0].template.body", found.get(0).path());
        assertTrue(found.get(0).message().contains("line 2, column 3: << user.name | default 'x' >> is not a Liquid output"), found.toString());
    }

    @Test
    void everyProblemIsListedWithItsPath() throws Exception {
        List<String> found = paths("""
                {"name": "", "trigger": {}, "reentry": {"mode": "sometimes"}, "transactional": "yes",
                 "steps": [{"id": "a", "type": "message", "channel": "fax", "template": {"body": "{% if %}"}, "next": "zz"},
                           {"id": "a", "type": "wait", "duration": "3 days", "next": null},
                           {"id": "c", "type": "wait", "duration": "PT0S", "next": null},
                           {"id": "d", "type": "teleport"},
                           {"id": "e", "type": "split", "arms": [{"percent": 60, "next": null}, {"percent": 60, "next": null}]},
                           {"id": "f", "type": "branch", "cases": [{"when": {"path": "data.x", "op": "approximately", "value": 1}, "next": null}]},
                           {"id": "g", "type": "waitForEvent", "event": "x", "where": {"event": "y"}, "onEvent": null, "onTimeout": null}]}""");
        assertTrue(found.containsAll(List.of("name", "trigger.event", "reentry.mode", "transactional", "steps[0].channel", "steps[0].template.body",
                "steps[0].next", "steps[1].id", "steps[1].duration", "steps[2].duration", "steps[3].type", "steps[4].arms",
                "steps[5].cases[0].when.op", "steps[6].where", "steps[6].timeout", "steps[2]")), found.toString());
    }

    @Test
    void aLoopWithoutAWaitIsRejectedButOneThroughAWaitIsFine() throws Exception {
        assertTrue(problems("""
                {"name": "Spin", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "x"}, "next": "b"},
                           {"id": "b", "type": "branch", "cases": [{"when": {"path": "data.x", "op": "exists"}, "next": "a"}], "else": null}]}""")
                .stream().anyMatch(p -> p.message().contains("loop without a wait")));
        assertEquals(List.of(), problems("""
                {"name": "Weekly", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "x"}, "next": "b"},
                           {"id": "b", "type": "wait", "duration": "P7D", "next": "a"}]}"""));
    }

    @Test
    void historyConditionsOnlyWhereTheyCanBeEvaluated() throws Exception {
        List<String> found = paths("""
                {"name": "H", "trigger": {"event": "x"}, "exitOn": [{"event": "y", "where": {"event": "z"}}],
                 "steps": [{"id": "a", "type": "exit"}]}""");
        assertEquals(List.of("exitOn[0].where"), found);
    }

    @Test
    void unreachableStepsAreNamed() throws Exception {
        List<Problem> found = problems("""
                {"name": "U", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "exit"}, {"id": "lonely", "type": "exit"}]}""");
        assertEquals(1, found.size());
        assertTrue(found.get(0).message().contains("lonely"));
    }

    @Test
    void sizesDepthsCountsAndDurationsAreBoundedAtSaveWithTheirPaths() throws Exception {
        String hugeDuration = """
                {"name": "Long", "trigger": {"event": "x", "where": {"event": "y", "since": "PT9999999999999H", "count": {"gte": 1}}},
                 "reentry": {"mode": "cooldown", "cooldown": "P3651D"},
                 "steps": [{"id": "w", "type": "wait", "duration": "P3651D", "next": "t"},
                           {"id": "t", "type": "waitForEvent", "event": "x", "timeout": "PT87649H", "onEvent": null, "onTimeout": null}]}""";
        assertEquals(List.of("trigger.where.since", "reentry.cooldown", "steps[0].duration", "steps[1].timeout"), paths(hugeDuration));
        assertTrue(problems(hugeDuration).get(0).message().contains("P3650D"), problems(hugeDuration).toString());
        assertEquals(List.of(), paths(hugeDuration.replace("PT9999999999999H", "P3650D").replace("P3651D", "P3650D")
                .replace("PT87649H", "PT87600H")));

        StringBuilder steps = new StringBuilder();
        for (int i = 0; i <= JourneyValidator.MAX_STEPS; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"id\": \"s").append(i).append("\", \"type\": \"exit\"}");
        }
        assertEquals(List.of("steps"), paths("{\"name\": \"n\", \"trigger\": {\"event\": \"x\"}, \"steps\": [" + steps + "]}"));

        String big = "x".repeat(JourneyValidator.MAX_DEFINITION_BYTES);
        assertEquals(List.of(""), paths("{\"name\": \"" + big + "\", \"trigger\": {\"event\": \"x\"}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}"));

        String deep = "{\"path\": \"data.x\", \"op\": \"eq\", \"value\": 1}";
        for (int i = 0; i < JourneyValidator.MAX_NESTING; i++) {
            deep = "{\"not\": " + deep + "}";
        }
        assertEquals(List.of(""), paths("{\"name\": \"n\", \"trigger\": {\"event\": \"x\", \"where\": " + deep
                + "}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}"));
        assertEquals(List.of("condition"), validator.validateSegment(json.readTree(deep)).stream().map(Problem::path).toList());
        assertEquals(List.of("condition"), validator.validateSegment(json.readTree("{\"path\": \"user.id\", \"op\": \"eq\", \"value\": \""
                + "y".repeat(JourneyValidator.MAX_SEGMENT_CONDITION_BYTES) + "\"}")).stream().map(Problem::path).toList());
    }

    @Test
    void aWaitForAMessagesOutcomeNamesAMessageStepAndAKnownOutcome() throws Exception {
        String journey = """
                {"name": "Outcome", "trigger": {"event": "visit"},
                 "steps": [{"id": "push", "type": "message", "channel": "push", "template": {"title": "Hi", "body": "Hi"}, "next": "o"},
                           {"id": "o", "type": "waitForOutcome", "message": "%s", "outcome": "%s" %s, "onOutcome": null, "onTimeout": "w"},
                           {"id": "w", "type": "wait", "duration": "P1D", "next": null}]}""";
        assertEquals(List.of(), problems(journey.formatted("push", "clicked", ", \"within\": \"PT2H\"")));
        assertEquals(List.of(), problems(journey.formatted("push", "failed", "")), "a failure is known at once: no within");
        assertEquals(List.of(), problems(journey.formatted("push", "opened", ", \"within\": \"PT2H\"")), "a push is opened when tapped");
        assertEquals(List.of("steps[1].within"), paths(journey.formatted("push", "opened", "")));
        assertEquals(List.of("steps[1].message"), paths(journey.formatted("w", "delivered", "")));
        List<Problem> displayed = problems(journey.formatted("push", "displayed", ", \"within\": \"PT2H\""));
        assertEquals(List.of("steps[1].outcome"), displayed.stream().map(Problem::path).toList());
        assertEquals("a push message is never displayed; displayed is reported for [inapp] messages", displayed.get(0).message());
        String sms = journey.replace("\"channel\": \"push\"", "\"channel\": \"sms\"");
        assertEquals(List.of("steps[1].outcome"), paths(sms.formatted("push", "opened", ", \"within\": \"PT2H\"")),
                "an SMS is never opened");
        assertEquals(List.of(), problems(sms.formatted("push", "failed", "")));
        JourneyDefinition read = json.readValue(journey.formatted("push", "clicked", ", \"within\": \"PT2H\""), JourneyDefinition.class);
        assertEquals(java.util.Set.of("@clicked", "@iam_clicked"), read.listensTo());
    }

    @Test
    void aFetchStepReadsIntoTypesAndLaterStepsMayReadWhatItFetched() throws Exception {
        String good = """
                {"name": "Fetch", "trigger": {"event": "signup"},
                 "steps": [{"id": "profile", "type": "fetch",
                            "request": {"method": "POST", "url": "https://api.example.com/users/<< entry_event.subjectId | url_encode >>",
                                        "headers": {"Authorization": "Bearer << user.tags.token >>"}, "body": "{\\"id\\": \\"<< user.id >>\\"}"},
                            "timeout": "PT5S", "retries": 3, "next": "decide", "onFailure": "fallback"},
                           {"id": "decide", "type": "branch", "cases": [{"when": {"path": "fetched.profile.tier", "op": "eq", "value": "gold"},
                                                                         "next": "fallback"}], "else": null},
                           {"id": "fallback", "type": "message", "channel": "webhook", "template": {"body": "<< fetched.profile.name >>"},
                            "next": null}]}""";
        assertEquals(List.of(), problems(good));
        FetchStep fetch = (FetchStep) json.readValue(good, JourneyDefinition.class).step("profile");
        assertEquals("POST", fetch.request().methodOrDefault());
        assertEquals(3, fetch.retriesOrDefault());
        assertEquals(java.time.Duration.ofSeconds(5), fetch.timeoutDuration());
        assertEquals(java.util.Arrays.asList("decide", "fallback"), fetch.successors());
    }

    @Test
    void everyProblemOfAFetchStepHasItsPath() throws Exception {
        List<Problem> found = problems("""
                {"name": "Bad fetch", "trigger": {"event": "signup", "where": {"path": "fetched.profile.tier", "op": "exists"}},
                 "steps": [{"id": "a", "type": "fetch", "request": {"method": "DELETE", "url": "https://api.example.com/<< user.id | nope >>",
                            "headers": {"Host": "x", "bad name": "y", "X-N": 1}, "body": "{}"},
                            "timeout": "PT1M", "retries": 11, "next": "b", "onFailure": "nowhere"},
                           {"id": "b", "type": "fetch", "request": {"url": "ftp://files.example.com/x"}, "timeout": "soon", "retries": -1,
                            "next": "c"},
                           {"id": "c", "type": "fetch", "request": {"headers": {}}, "retries": 1.5, "next": "d"},
                           {"id": "d", "type": "fetch", "request": {"method": "GET", "url": "http://127.0.0.1:8080/x", "body": "{}"}, "next": "e"},
                           {"id": "e", "type": "fetch", "request": {"url": "https://<< user.tags.host >>/x"}, "next": "f"},
                           {"id": "f", "type": "fetch", "next": null}]}""");
        List<String> paths = found.stream().map(Problem::path).toList();
        assertEquals(List.of("trigger.where.path", "steps[0].request.method", "steps[0].request.headers.Host",
                "steps[0].request.headers.bad name", "steps[0].request.headers.X-N", "steps[0].request.body", "steps[0].request.url",
                "steps[0].timeout", "steps[0].retries", "steps[1].request.url", "steps[1].timeout", "steps[1].retries",
                "steps[2].request.url", "steps[2].retries", "steps[3].request.url", "steps[3].request.body", "steps[5].request",
                "steps[0].onFailure"), paths, found.toString());
        assertEquals("line 1, column 36: there is no filter named 'nope'", found.get(6).message());
        assertTrue(found.get(14).message().contains("loopback"), found.toString());
        // A host that comes from a template is checked when the request is made; the one the policy allows passes on save.
        assertEquals(List.of(), new JourneyValidator(new TemplateRenderer(), dev.journey.worker.channel.OutboundPolicy.allowingLoopback())
                .validate(json.readTree("""
                        {"name": "Local", "trigger": {"event": "signup"},
                         "steps": [{"id": "a", "type": "fetch", "request": {"url": "http://127.0.0.1:8080/x"}, "next": null}]}""")));
    }

    @Test
    void aConditionOnFetchedMustNameAFetchStep() throws Exception {
        List<Problem> found = problems("""
                {"name": "Typo", "trigger": {"event": "signup"},
                 "steps": [{"id": "profile", "type": "fetch", "request": {"url": "https://api.example.com/p"}, "next": "decide"},
                           {"id": "decide", "type": "branch", "cases": [{"when": {"all": [{"path": "fetched.profile.tier", "op": "exists"},
                                                                                        {"path": "fetched.profle.tier", "op": "exists"}]},
                                                                         "next": "wait"}], "else": null},
                           {"id": "wait", "type": "waitForEvent", "event": "buy", "timeout": "P1D", "onEvent": null, "onTimeout": null,
                            "where": {"path": "data.sku", "op": "eq", "valueFrom": "fetched.decide.sku"}}]}""");
        assertEquals(List.of(new Problem("steps[1].cases[0].when.all[1].path", "\"profle\" is not a fetch step of this journey"),
                new Problem("steps[2].where.valueFrom", "\"decide\" is not a fetch step of this journey")), found);
    }
}
