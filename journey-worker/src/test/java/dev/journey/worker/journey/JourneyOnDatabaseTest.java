package dev.journey.worker.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.InAppConfig;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.MessageActivitiesImpl;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.segment.SegmentStore;
import dev.journey.worker.subject.SubjectActivities;
import dev.journey.worker.subject.SubjectActivitiesImpl;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * The workflow with the real activities against the embedded PostgreSQL: started by reference as
 * the API starts it, reading its version, rendering inline templates from the stored version,
 * logging each message, recording system events. Payloads are held to Temporal's 2 MB limit
 * ({@link PayloadLimit}); only the delivery policy is a fake (everything is admitted at once).
 */
class JourneyOnDatabaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource db = TestDatabase.get();
    private final Sql sql = TestDatabase.sql();
    private final String project = TestProjects.create();
    private final ChannelSecrets secrets = ChannelSecrets.ephemeral();
    private final AtomicInteger tagAttempts = new AtomicInteger();
    private volatile boolean loseFirstTagsReply;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void start() {
        env = WorkflowFakes.environment();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        EventStore events = new EventStore(db, JSON);
        SubjectStore subjects = new SubjectStore(db, JSON, events, new SegmentStore(db, JSON));
        SubjectActivities realSubject = new SubjectActivitiesImpl(subjects);
        // The first updateTags does its work, then its reply is lost: Temporal runs it again.
        SubjectActivities subject = new SubjectActivities() {
            @Override
            public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
                return realSubject.firstMatch(projectId, entryEvent, conditions);
            }

            @Override
            public CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions,
                                         Map<String, Object> fetched) {
                return realSubject.chooseCase(projectId, entryEvent, conditions, fetched);
            }

            @Override
            public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                                   List<String> causedBy) {
                realSubject.updateTags(projectId, subjectType, subjectId, tags, eventId, causedBy);
                if (tagAttempts.incrementAndGet() == 1 && loseFirstTagsReply) {
                    throw ApplicationFailure.newFailure("the reply was lost", "Flaky");
                }
            }

            @Override
            public String timezone(String projectId, String subjectType, String subjectId) {
                return realSubject.timezone(projectId, subjectType, subjectId);
            }
        };
        DeliveryActivities admitAll = new DeliveryActivities() {
            @Override
            public Admission admit(SendMessage m, long nowMillis) {
                return new Admission(Admission.QUEUED, 0);
            }
        };
        worker.registerActivitiesImplementations(
                new InstanceActivitiesImpl(new InstanceStore(db, events), new JourneyStore(db, JSON), admitAll, JSON, () -> {}),
                new MessageActivitiesImpl(db, new TemplateRenderer(), JSON, subjects, secrets, OutboundPolicy.allowingLoopback()),
                subject, admitAll);
        env.start();
        new ChannelStore(sql, secrets).create(project, "In-app", new InAppConfig());
    }

    @AfterEach
    void stop() {
        env.close();
    }

    /** Publishes the journey, writes the instance row as the dispatcher does, and starts it by reference. */
    private String start(String definitionJson, Map<String, Object> entryData) {
        String journeyId = TestProjects.journey(project, "J", definitionJson);
        EntryEvent entry = new EntryEvent(7, "e-7", "signup", "user", "u1", entryData, "2026-11-27T10:00:00Z");
        String workflowId = JourneyIds.workflowId(journeyId, "user", "u1", 7);
        sql.with(c -> InstanceStore.insert(c, new InstanceStore.NewInstance(workflowId, project, journeyId, 1, "user", "u1", 7,
                List.of("click"))));
        JourneyWorkflow workflow = env.getWorkflowClient().newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE).setWorkflowId(workflowId).build());
        WorkflowClient.start(workflow::run, new JourneyInput(project, journeyId, 1, entry));
        return workflowId;
    }

    private String result(String workflowId) throws Exception {
        return env.getWorkflowClient().newUntypedWorkflowStub(workflowId).getResult(60, TimeUnit.SECONDS, String.class);
    }

    private record Logged(String id, String stepId, String status, String content) {}

    private List<Logged> messages(String workflowId) {
        return sql.list("SELECT id, step_id, status, content::text FROM message WHERE workflow_id = ? ORDER BY created_at, id",
                rs -> new Logged(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), workflowId);
    }

    @Test
    void aJourneyWhoseInlineTemplatesTotalWellOver2MbRunsAndSendsWithSmallPayloads() throws Exception {
        int steps = 40;
        StringBuilder json = new StringBuilder("{\"name\": \"Newsletter course\", \"trigger\": {\"event\": \"signup\"}, \"steps\": [");
        for (int i = 0; i < steps; i++) {
            // An e-mail as editors make them: mostly static markup, a few Liquid tags.
            String html = "<p>lesson " + i + " for <b>{{ user.id }}</b></p>" + "<td style='padding:8px'>static</td>".repeat(1_700);
            json.append(i == 0 ? "" : ",").append("{\"id\": \"lesson").append(i)
                    .append("\", \"type\": \"message\", \"channel\": \"inapp\", \"template\": {\"title\": \"Lesson ").append(i)
                    .append("\", \"body\": \"").append(html).append("\"}, \"next\": ")
                    .append(i == steps - 1 ? "null" : "\"lesson" + (i + 1) + "\"").append("}");
        }
        String definition = json.append("]}").toString();
        assertTrue(definition.length() > 2_300_000, "the inline templates alone: " + definition.length());

        String workflowId = start(definition, Map.of());

        assertEquals("completed", result(workflowId));
        List<Logged> logged = messages(workflowId);
        assertEquals(steps, logged.size());
        assertTrue(logged.stream().allMatch(m -> m.status().equals("sent")), logged.stream().map(Logged::status).toList().toString());
        Logged last = logged.stream().filter(m -> m.stepId().equals("lesson39")).findFirst().orElseThrow();
        assertTrue(last.content().contains("Lesson 39") && last.content().contains("lesson 39 for <b>u1</b>")
                && last.content().length() > 59_000, "rendered from its own inline template: "
                + last.content().substring(0, Math.min(300, last.content().length())));

        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(workflowId);
        HistoryEvent started = history.getEvents().get(0);
        int input = started.getWorkflowExecutionStartedEventAttributes().getInput().getSerializedSize();
        assertTrue(input < 4 * 1024, "the start carries a reference: " + input + " bytes");
        int all = history.getHistory().getSerializedSize();
        assertTrue(all < 256 * 1024, "no template body travels through Temporal (40 sends, checkpoints, the version's structure): "
                + all + " bytes");
    }

    @Test
    void aMessageStepPassedAgainInALoopIsSentAgainUnderItsOwnId() throws Exception {
        String workflowId = start("""
                {"name": "Nudge", "trigger": {"event": "signup"},
                 "steps": [{"id": "wait", "type": "waitForEvent", "event": "click", "timeout": "P1D", "onEvent": "nudge", "onTimeout": null},
                           {"id": "nudge", "type": "message", "channel": "inapp", "template": {"title": "Hi {{ user.id }}"}, "next": "wait"}]}""",
                Map.of());
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(workflowId);
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, WorkflowFakes.event(60, "click", Map.of()));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, WorkflowFakes.event(61, "click", Map.of()));

        assertEquals("completed", result(workflowId));
        String first = JourneyIds.messageId(workflowId, "nudge");
        assertEquals(List.of(List.of(first, "nudge", "sent"), List.of(first + ":2", "nudge", "sent")),
                messages(workflowId).stream().map(m -> List.of(m.id(), m.stepId(), m.status())).toList(),
                "both visits logged and sent, each under its own id (the idempotency key)");
    }

    @Test
    void tagsChangedByAStepAreRecordedOnceThoughTheActivityRanTwiceAndNameTheirCause() throws Exception {
        loseFirstTagsReply = true;
        String workflowId = start("""
                {"name": "Tag", "trigger": {"event": "signup"},
                 "steps": [{"id": "t", "type": "updateTags", "tags": {"tier": "gold"}, "next": null}]}""",
                Map.of("causedBy", List.of("j-upstream")));

        assertEquals("completed", result(workflowId));
        assertEquals(2, tagAttempts.get(), "the activity ran twice");
        String journeyId = workflowId.split("/")[1];
        List<List<String>> recorded = sql.list("SELECT coalesce(event_id, '(none)'), data::text FROM event WHERE project_id = ? AND type = '@tags_changed'",
                rs -> List.of(rs.getString(1), rs.getString(2)), project);
        assertEquals(1, recorded.size(), "one @tags_changed: " + recorded);
        assertEquals(JourneyIds.systemEventId("@tags_changed", workflowId, "t", 1), recorded.get(0).get(0));
        assertEquals(Map.of("changed", List.of("tier"), "causedBy", List.of("j-upstream", journeyId)),
                JSON.readValue(recorded.get(0).get(1), Map.class));
        assertEquals("{\"tier\": \"gold\"}",
                sql.first("SELECT tags::text FROM app_user WHERE project_id = ? AND user_id = 'u1'", rs -> rs.getString(1), project)
                        .orElseThrow());
    }
}
