package dev.journey.api.dryrun;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.journey.JourneyService;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.JourneyStore;

/**
 * A journey's dry run (issue 16): its draft — or an unsaved {@code definition} — replayed over the
 * project's stored events of a period, in memory and simulated time, nothing written. The POST
 * waits for the answer up to {@code journey.dry-run.wait} (or less, by {@code ?wait=PT2S}); a run
 * still going then answers 202 with its id and progress, followed by GET …/dry-runs/{runId}.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/journeys/{id}")
public class DryRunResource {
    @Inject
    JourneyService journeys;
    @Inject
    DryRuns runs;

    @POST
    @Path("dry-run")
    public Response dryRun(@PathParam("projectId") String projectId, @PathParam("id") String id, @QueryParam("wait") String wait,
                           JsonNode body) {
        JourneyStore.Journey journey = journeys.get(projectId, id);
        Duration waitFor = waitFor(wait);
        DryRunRequest request = DryRunRequest.parse(body, Instant.now());
        JourneyDefinition definition = request.definition() != null
                ? journeys.unsaved(projectId, request.definition(), "definition") : journeys.draft(projectId, id);
        // What templates see as journey.version: the version now published (1 before the first publish).
        int version = journey.publishedVersion() == null ? 1 : journey.publishedVersion();
        DryRuns.Run run = runs.start(projectId, id, version, definition, request.since(), request.until(), request.maxEvents());
        // No wait at all answers with the run's id at once, whether or not it happens to be done.
        java.util.Optional<DryRunResult> done = waitFor.isZero() ? java.util.Optional.empty() : runs.await(run, waitFor);
        return done.map(result -> Response.ok(result).build())
                .orElseGet(() -> Response.status(202).entity(run.status())
                        .location(java.net.URI.create("/v1/projects/" + projectId + "/journeys/" + id + "/dry-runs/" + run.id()))
                        .build());
    }

    @GET
    @Path("dry-runs/{runId}")
    public DryRunStatus status(@PathParam("projectId") String projectId, @PathParam("id") String id,
                                     @PathParam("runId") String runId) {
        return runs.find(projectId, id, runId).map(DryRuns.Run::status)
                .orElseThrow(() -> ApiException.notFound("dry run " + runId + " (runs are kept for a while after they end)"));
    }

    /** The request's {@code wait}, at most the configured one. */
    private Duration waitFor(String wait) {
        if (wait == null) {
            return runs.maxWait();
        }
        try {
            Duration d = Duration.parse(wait);
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", wait, 0);
            }
            return d.compareTo(runs.maxWait()) > 0 ? runs.maxWait() : d;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid wait", List.of(new ApiError.Detail("wait",
                    "must be an ISO-8601 duration such as \"PT5S\", at most " + runs.maxWait())));
        }
    }
}
