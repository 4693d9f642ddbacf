package dev.journey.api.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import dev.journey.worker.db.Keyset;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.MessageStore;

/** Who is in a journey and how it is doing — from PostgreSQL, where instances keep their state. */
@ProjectKey
@Path("/v1/projects/{projectId}/journeys/{id}")
public class JourneyInstances {
    @Inject
    JourneyService journeys;
    @Inject
    InstanceStore instances;
    @Inject
    MessageStore messages;
    @Inject
    ObjectMapper json;

    public record Instances(List<Map<String, Object>> instances, String nextCursor) {}

    @GET
    @Path("instances")
    public Instances instances(@PathParam("projectId") String projectId, @PathParam("id") String id,
                               @QueryParam("userId") String userId, @QueryParam("status") String status,
                               @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        journeys.get(projectId, id);
        int limit = Page.limit(limitParam);
        InstanceStatus wanted = status == null ? null : InstanceStatus.of(status);
        if (status != null && wanted == null) {
            throw ApiException.badRequest("invalid status", List.of(new ApiError.Detail("status",
                    "must be one of " + Arrays.stream(InstanceStatus.values()).map(InstanceStatus::value).toList())));
        }
        Keyset.Page<InstanceStore.Instance> page = instances.list(id, userId, wanted, Page.after(cursor, Page.TEXT_ID), limit);
        return new Instances(page.items().stream().map(JourneyInstances::view).toList(), Page.next(page));
    }

    /** An instance as the API shows it (also in a user's profile). */
    public static Map<String, Object> view(InstanceStore.Instance i) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", i.workflowId());
        row.put("journeyVersion", i.journeyVersion());
        row.put("subjectType", i.subjectType());
        row.put("subjectId", i.subjectId());
        row.put("entryEventId", String.valueOf(i.entryEventId()));
        row.put("status", i.status().value());
        row.put("currentStep", i.currentStep());
        row.put("endReason", i.endReason());
        row.put("enteredAt", i.enteredAt().toString());
        row.put("endedAt", i.endedAt() == null ? null : i.endedAt().toString());
        return row;
    }

    /**
     * Why an instance went where it went: every step it reached, in order, with the time it reached
     * and left it and what decided the way on (a branch's case and the values that decided it, a
     * split's arm, what ended a wait, the message with its status now), then how it ended. The id
     * is the instance's {@code id} (it holds slashes; sent encoded or not).
     */
    @GET
    @Path("instances/{instanceId: .+}/path")
    public Map<String, Object> path(@PathParam("projectId") String projectId, @PathParam("id") String id,
                                    @PathParam("instanceId") String instanceId) {
        journeys.get(projectId, id);
        InstanceStore.Path path = instances.path(id, instanceId)
                .orElseThrow(() -> ApiException.notFound("instance " + instanceId + " of journey " + id));
        List<Map<String, Object>> steps = new ArrayList<>();
        List<String> messageIds = new ArrayList<>();
        for (InstanceStore.PathRow row : path.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("seq", row.seq());
            step.put("stepId", row.stepId());
            step.put("type", row.type());
            step.put("reachedAt", row.reachedAt().toString());
            step.put("leftAt", row.leftAt() == null ? null : row.leftAt().toString());
            if (row.outcomeJson() != null) {
                step.putAll(outcome(row.outcomeJson()));
            }
            if (row.leftAt() == null && path.instance().status() == InstanceStatus.ACTIVE && path.wakeAt() != null) {
                step.put("wakeAt", path.wakeAt().toString());
            }
            if (step.get("messageId") instanceof String messageId) {
                messageIds.add(messageId);
            }
            steps.add(step);
        }
        Map<String, MessageStore.Outcome> sent = messages.outcomes(messageIds);
        for (Map<String, Object> step : steps) {
            MessageStore.Outcome message = step.get("messageId") instanceof String messageId ? sent.get(messageId) : null;
            if (message != null) {
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("status", message.status().value());
                shown.put("error", message.error());
                shown.put("sentAt", message.sentAt() == null ? null : message.sentAt().toString());
                step.put("message", shown);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("instance", view(path.instance()));
        answer.put("steps", steps);
        // Only the latest steps are kept; a path that starts later than step 0 lost its oldest ones.
        answer.put("truncated", !path.steps().isEmpty() && path.steps().get(0).seq() > 0);
        if (path.instance().endedAt() != null) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("status", path.instance().status().value());
            end.put("reason", path.instance().endReason());
            end.put("eventId", path.endEventId() == null ? null : String.valueOf(path.endEventId()));
            end.put("at", path.instance().endedAt().toString());
            answer.put("end", end);
        } else {
            answer.put("end", null);
        }
        return answer;
    }

    private static final TypeReference<Map<String, Object>> OUTCOME = new TypeReference<>() {};

    private Map<String, Object> outcome(String stored) {
        try {
            return json.readValue(stored, OUTCOME);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored path step is unreadable", e);
        }
    }

    /**
     * Entered, active (and at which step now), completed, exited (and by what), converted (and on what),
     * and messages per step by status — what the console draws as the journey's funnel.
     */
    @GET
    @Path("stats")
    public Map<String, Object> stats(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        journeys.get(projectId, id);
        InstanceStore.Stats counts = instances.stats(id);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("entered", counts.entered());
        stats.put("active", counts.active());
        stats.put("completed", counts.completed());
        stats.put("exited", counts.exited());
        stats.put("converted", counts.converted());
        stats.put("exitedBy", counts.exitedBy());
        stats.put("convertedBy", counts.convertedBy());
        stats.put("activeAt", counts.activeAt());
        // Conversions of the project's hold-out group (no marketing messages) beside the rest: the uplift of messaging.
        stats.put("holdout", Map.of("entered", counts.heldOutEntered(), "converted", counts.heldOutConverted()));
        stats.put("rest", Map.of("entered", counts.entered() - counts.heldOutEntered(),
                "converted", counts.converted() - counts.heldOutConverted()));
        Map<String, Map<String, Long>> steps = new LinkedHashMap<>();
        for (MessageStore.StepCount c : messages.countsByStep(id)) {
            steps.computeIfAbsent(c.stepId(), k -> new LinkedHashMap<>()).put(c.status().value(), c.count());
        }
        stats.put("messages", steps);
        return stats;
    }
}
