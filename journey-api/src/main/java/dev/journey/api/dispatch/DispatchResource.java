package dev.journey.api.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import dev.journey.worker.db.Keyset;
import dev.journey.worker.event.Outbox;

/**
 * A project's dispatch, as its operators see it: how far behind it is, and the events it parked
 * after they failed every attempt — each with its reason, and a way to try them again once the
 * cause is fixed.
 */
@ProjectKey
@Path("/v1/projects/{projectId}/dispatch")
public class DispatchResource {
    @Inject
    Outbox outbox;
    @Inject
    Dispatcher dispatcher;

    public record Backlog(long pending, long retrying, String oldestPendingReceivedAt, double lagSeconds, long parked) {}

    public record DeadLetter(long eventId, String type, String subjectType, String subjectId, int attempts, String error,
                             String parkedAt) {}

    public record DeadLetters(List<DeadLetter> deadLetters, String nextCursor) {}

    public record Requeued(int requeued) {}

    @GET
    public Backlog backlog(@PathParam("projectId") String projectId) {
        Outbox.Backlog b = outbox.backlog(projectId);
        Instant oldest = b.oldestReceivedAt();
        return new Backlog(b.pending(), b.retrying(), oldest == null ? null : oldest.toString(),
                oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0), b.parked());
    }

    @GET
    @Path("dead-letters")
    public DeadLetters deadLetters(@PathParam("projectId") String projectId, @QueryParam("limit") String limit,
                                   @QueryParam("cursor") String cursor) {
        Keyset.Page<Outbox.DeadLetter> page = outbox.deadLetters(projectId, Page.after(cursor, Page.NUMERIC_ID), Page.limit(limit));
        return new DeadLetters(page.items().stream().map(d -> new DeadLetter(d.eventId(), d.type(), d.subjectType(), d.subjectId(),
                d.attempts(), d.error(), d.parkedAt().toString())).toList(), Page.next(page));
    }

    /** Every parked event of the project goes back to the outbox, with a fresh count of attempts. */
    @POST
    @Path("dead-letters/retry")
    public Response retryAll(@PathParam("projectId") String projectId) {
        return requeued(outbox.retryParked(projectId, null));
    }

    @POST
    @Path("dead-letters/{eventId}/retry")
    public Response retry(@PathParam("projectId") String projectId, @PathParam("eventId") String eventId) {
        long id;
        try {
            id = Long.parseLong(eventId);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid event id", List.of(new ApiError.Detail("eventId", "must be a whole number")));
        }
        int requeued = outbox.retryParked(projectId, id);
        if (requeued == 0) {
            throw ApiException.notFound("parked event " + id);
        }
        return requeued(requeued);
    }

    private Response requeued(int count) {
        dispatcher.wake();
        return Response.accepted(new Requeued(count)).build();
    }
}
