package dev.journey.api.journey;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
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
        Map<String, Map<String, Long>> steps = new LinkedHashMap<>();
        for (MessageStore.StepCount c : messages.countsByStep(id)) {
            steps.computeIfAbsent(c.stepId(), k -> new LinkedHashMap<>()).put(c.status().value(), c.count());
        }
        stats.put("messages", steps);
        return stats;
    }
}
