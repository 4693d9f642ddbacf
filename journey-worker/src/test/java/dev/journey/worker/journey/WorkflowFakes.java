package dev.journey.worker.journey;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.SubjectActivities;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;

/** What the workflow tests share: journeys, inputs and the condition fake of their activities. */
final class WorkflowFakes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Temporal's time-skipping test service, its client converting payloads as the engine's does (with their size limit). */
    static TestWorkflowEnvironment environment() {
        return TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(PayloadLimit.converter()).build())
                .build());
    }

    static final String WORKFLOW_ID = JourneyIds.workflowId("j1", "user", "u1", 7);

    static final String POST_PURCHASE = """
            {"name": "Post-purchase", "trigger": {"event": "purchase"},
             "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": "pause"},
                       {"id": "pause", "type": "wait", "duration": "P3D", "next": "remind"},
                       {"id": "remind", "type": "message", "channel": "webhook", "template": {"body": "Review it?"}, "next": null}]}""";

    static final String ABANDONED_CART = """
            {"name": "Abandoned cart", "trigger": {"event": "cart_updated"},
             "steps": [{"id": "wait", "type": "waitForEvent", "event": "purchase",
                        "where": {"path": "data.cartId", "op": "eq", "valueFrom": "entry_event.data.cartId"},
                        "timeout": "PT1H", "onEvent": "thanks", "onTimeout": "remind"},
                       {"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": null},
                       {"id": "remind", "type": "message", "channel": "webhook", "template": {"body": "Forgot something?"}, "next": null}]}""";

    static final String WITH_EXIT_AND_GOAL = """
            {"name": "Review request", "trigger": {"event": "purchase"},
             "exitOn": [{"event": "refund", "where": {"path": "data.orderId", "op": "eq", "valueFrom": "entry_event.data.orderId"}}],
             "goal": {"event": "review_written"},
             "steps": [{"id": "pause", "type": "wait", "duration": "P3D", "next": "remind"},
                       {"id": "remind", "type": "message", "channel": "webhook", "template": {"body": "Review it?"}, "next": null}]}""";

    private WorkflowFakes() {}

    /** A journey entered by purchase event 7 of user u1 in project demo. */
    static JourneyInput input(String definition, Map<String, Object> entryData) throws Exception {
        JourneyDefinition journey = JSON.readValue(definition, JourneyDefinition.class);
        EntryEvent event = new EntryEvent(7, "e-7", "purchase", "user", "u1", entryData, "2026-11-27T10:00:00Z");
        return new JourneyInput("demo", "j1", 1, journey, event);
    }

    /**
     * The input as the API starts instances now: a reference to the version, no definition. The
     * tests' {@link InstanceActivities#definition} fake answers with {@link #structure} of the
     * definition the test wrote.
     */
    static JourneyInput byReference(JourneyInput in) {
        return new JourneyInput(in.projectId(), in.journeyId(), in.version(), null, in.entryEvent(), in.state(), in.resume());
    }

    /** What the real definition activity answers: the definition without inline template bodies. */
    static JourneyDefinition structure(JourneyDefinition definition) {
        return definition == null ? null : InstanceActivitiesImpl.withoutTemplateBodies(definition);
    }

    /** The same journey resumed from a checkpoint, with the events it hears again. */
    static JourneyInput resumed(JourneyInput fresh, Checkpoint checkpoint, List<InboundEvent> events) {
        return new JourneyInput(fresh.projectId(), fresh.journeyId(), fresh.version(), fresh.journey(), fresh.entryEvent(),
                JourneyState.resumedFrom(checkpoint), new JourneyInput.Resume(checkpoint.wakeAtMillis(), events));
    }

    static InboundEvent event(long id, String type, Map<String, Object> data) {
        return new InboundEvent(id, type, data, "2026-11-27T10:30:00Z");
    }

    /**
     * The first condition that matches the entry event, for a user tagged {@code tier: gold}; no
     * history here (the API tests cover it).
     */
    static int firstMatch(EntryEvent entryEvent, List<Condition> conditions) {
        Map<String, Object> context = Map.of("entry_event", entryEvent.asMap(), "data", entryEvent.data(),
                "user", Map.of("tags", Map.of("tier", "gold")));
        for (int i = 0; i < conditions.size(); i++) {
            if (Conditions.matches(conditions.get(i), context)) {
                return i;
            }
        }
        return -1;
    }

    /** Fakes of the bookkeeping see a step begun as its checkpoint and an end as {@code ended}, whatever the path records. */
    abstract static class Instances implements InstanceActivities {
        /** What a message step's first admission asks: the test's delivery fake, or everything admitted at once. */
        DeliveryActivities delivery = (m, now) -> new Admission(Admission.QUEUED, 0);

        @Override
        public Admission messageStepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path, SendMessage message,
                                          long nowMillis) {
            stepBegun(workflowId, checkpoint, path);
            return delivery.admit(message, nowMillis);
        }

        @Override
        public void stepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path) {
            checkpoint(workflowId, checkpoint);
        }

        @Override
        public void finished(String workflowId, Ending ending, List<PathStep> path) {
            ended(workflowId, ending.status(), ending.reason());
        }
    }

    /** Fakes of the subject choose a branch's case by {@code firstMatch}, with no checks to show. */
    abstract static class Subject implements SubjectActivities {
        @Override
        public CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions,
                                     java.util.Map<String, Object> fetched) {
            return new CaseChosen(firstMatch(projectId, entryEvent, conditions), List.of());
        }
    }
}
