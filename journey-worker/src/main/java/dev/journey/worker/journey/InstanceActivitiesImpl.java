package dev.journey.worker.journey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.journey.worker.observe.LogFields;
import dev.journey.worker.observe.WorkerMetrics;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.dsl.Step;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.SendMessage;
import io.temporal.failure.ApplicationFailure;

/**
 * Writes an instance's progress; each call is an idempotent UPDATE, so a retried activity changes
 * nothing twice. The row always exists before its workflow starts (the dispatcher commits it
 * first), so an update that finds no row is an error worth retrying, not a silent no-op.
 */
public class InstanceActivitiesImpl implements InstanceActivities {
    private final InstanceStore instances;
    private final JourneyStore journeys;
    private final DeliveryActivities delivery;
    private final ObjectMapper json;
    private final Runnable onEnded;
    private final WorkerMetrics metrics;
    /**
     * Versions never change once published: each is read once for all its instances (every run of
     * every instance asks). Bounded, as versions only ever accumulate; without template bodies,
     * an entry is a few KB.
     */
    private final Cache<String, JourneyDefinition> definitions = Caffeine.newBuilder().maximumSize(1_000).build();

    /**
     * @param delivery admits the message of a message step that begins ({@link #messageStepBegun})
     * @param onEnded  told after each instance's end is recorded (the in-process runtime counts closed workflows)
     */
    public InstanceActivitiesImpl(InstanceStore instances, JourneyStore journeys, DeliveryActivities delivery, ObjectMapper json,
                                  Runnable onEnded) {
        this(instances, journeys, delivery, json, onEnded, WorkerMetrics.NONE);
    }

    /** @param metrics told of each end recorded, by journey and status */
    public InstanceActivitiesImpl(InstanceStore instances, JourneyStore journeys, DeliveryActivities delivery, ObjectMapper json,
                                  Runnable onEnded, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.instances = instances;
        this.journeys = journeys;
        this.delivery = delivery;
        this.json = json;
        this.onEnded = onEnded;
    }

    @Override
    public void stepReached(String workflowId, String stepId) {
        recorded(workflowId, () -> instances.stepReached(workflowId, stepId));
    }

    @Override
    public void checkpoint(String workflowId, Checkpoint checkpoint) {
        stepBegun(workflowId, checkpoint, List.of());
    }

    @Override
    public void stepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path) {
        Instant wakeAt = checkpoint.wakeAtMillis() == null ? null : Instant.ofEpochMilli(checkpoint.wakeAtMillis());
        String text = json(checkpoint, "checkpoint");
        List<InstanceStore.PathRow> rows = rows(path);
        recorded(workflowId, () -> instances.checkpoint(workflowId, checkpoint.stepId(), text, wakeAt, rows));
    }

    @Override
    public Admission messageStepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> path, SendMessage message, long nowMillis) {
        // Two transactions, each idempotent: a retry after the first records the step again and changes nothing.
        stepBegun(workflowId, checkpoint, path);
        return delivery.admit(message, nowMillis);
    }

    private List<InstanceStore.PathRow> rows(List<PathStep> path) {
        List<InstanceStore.PathRow> rows = new ArrayList<>();
        for (PathStep step : path) {
            rows.add(new InstanceStore.PathRow(step.seq(), step.stepId(), step.type(), Instant.ofEpochMilli(step.reachedAtMillis()),
                    step.leftAtMillis() == null ? null : Instant.ofEpochMilli(step.leftAtMillis()),
                    step.outcome() == null ? null : json(step.outcome(), "path step")));
        }
        return rows;
    }

    private String json(Object value, String what) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(what + " not serialisable: " + e.getMessage(), "Checkpoint", e);
        }
    }

    @Override
    public void ended(String workflowId, InstanceStatus status, String reason) {
        finished(workflowId, new Ending(status, reason, null), List.of());
    }

    @Override
    public void finished(String workflowId, Ending ending, List<PathStep> path) {
        List<InstanceStore.PathRow> rows = rows(path);
        boolean changed;
        try (LogFields ids = ids(workflowId)) {
            changed = recorded(workflowId, () -> instances.end(workflowId, ending.status(), ending.reason(), ending.eventId(), rows));
        }
        onEnded.run();
        if (changed) {
            // Counted once: a retried activity (or an instance stopped from outside first) changes nothing.
            metrics.instanceEnded(JourneyIds.journeyOf(workflowId), ending.status().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public JourneyDefinition definition(String projectId, String journeyId, int version) {
        String key = projectId + "/" + journeyId + "/" + version;
        JourneyDefinition cached = definitions.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        JourneyDefinition found;
        try {
            found = journeys.version(projectId, journeyId, version).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                    "journey " + journeyId + " has no version " + version + " in project " + projectId, "MissingJourneyVersion"));
        } catch (SqlFailure e) {
            throw ApplicationFailure.newFailureWithCause("journey version unavailable: " + e.getMessage(), "SQLException", e);
        }
        JourneyDefinition structure = withoutTemplateBodies(found);
        definitions.put(key, structure);
        return structure;
    }

    /** The definition with every message step's inline template left out (templateId, channel and the rest stay). */
    static JourneyDefinition withoutTemplateBodies(JourneyDefinition definition) {
        if (definition.steps() == null) {
            return definition;
        }
        List<Step> steps = new ArrayList<>();
        for (Step step : definition.steps()) {
            steps.add(step instanceof MessageStep message ? message.withoutTemplate() : step);
        }
        return new JourneyDefinition(definition.name(), definition.trigger(), definition.reentry(), definition.exitOn(),
                definition.goal(), definition.transactional(), steps, definition.limits());
    }

    private static LogFields ids(String workflowId) {
        return LogFields.of(LogFields.JOURNEY, JourneyIds.journeyOf(workflowId), LogFields.INSTANCE, workflowId);
    }

    /** Runs the update; when it changed nothing, checks that the row exists (an ended row is fine: stopped from outside). */
    private boolean recorded(String workflowId, java.util.function.BooleanSupplier update) {
        try {
            boolean changed = update.getAsBoolean();
            if (!changed && !instances.exists(workflowId)) {
                throw ApplicationFailure.newFailure("no journey_instance row for " + workflowId, "MissingInstance");
            }
            return changed;
        } catch (SqlFailure e) {
            throw ApplicationFailure.newFailureWithCause("instance update failed: " + e.getMessage(), "SQLException", e);
        }
    }
}
