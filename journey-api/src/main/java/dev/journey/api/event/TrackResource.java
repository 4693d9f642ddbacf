package dev.journey.api.event;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.api.dispatch.Dispatcher;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.Json;
import dev.journey.api.observe.EngineMetrics;

/**
 * The front door: validate the whole request, store it durably in one transaction (with the
 * requests that arrive with it: {@link EventWriter}), answer 202, then wake the dispatcher. Nothing is acknowledged before it is committed. Any content type is read as JSON,
 * so the Web SDK's {@code sendBeacon} (a text/plain body, a publishable key as {@code ?key=}) lands here too.
 *
 * <p>Served on the event loop (it returns a stage): parsing and validating are CPU work, and the commit is
 * awaited without holding a thread — a worker thread per waiting request cost half of a one-event request's
 * CPU in thread hand-offs (src/bench/ingest.sh).
 */
@Path("/v1/projects/{projectId}/track")
public class TrackResource {
    @Inject
    EventValidator validator;
    @Inject
    EventWriter writer;
    @Inject
    Dispatcher dispatcher;
    @Inject
    TrackLimits limits;
    @Inject
    ObjectMapper json;
    @Inject
    EngineMetrics metrics;

    @POST
    @ProjectKey(scope = KeyScope.PUBLISHABLE, keyInQuery = true)
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> track(@PathParam("projectId") String projectId, byte[] body) {
        if (body.length > limits.maxRequestBytes()) {
            metrics.rejected(projectId, "too_large", 1);
            throw new ApiException(413, "payload_too_large", "a track request may be at most " + limits.maxRequestBytes()
                    + " bytes; send fewer events per request");
        }
        JsonNode request;
        List<NewEvent> events;
        try {
            request = parse(body);
        } catch (ApiException e) {
            metrics.rejected(projectId, "invalid", 1);
            throw e;
        }
        try {
            events = validator.validate(request, Instant.now());
        } catch (ApiException e) {
            // The whole request is refused: each of its events counts (an unreadable request counts as one).
            JsonNode list = request.path("events");
            metrics.rejected(projectId, e.status() == 413 ? "too_large" : "invalid", list.isArray() ? Math.max(1, list.size()) : 1);
            throw e;
        }
        return writer.store(projectId, events).thenApply(stored -> {
            metrics.ingested(projectId, stored.accepted(), stored.duplicates());
            dispatcher.wake();
            // Written by hand: two numbers, and the generic JSON writer was a tenth of a one-event request's CPU (JFR).
            return Response.accepted("{\"accepted\":" + stored.accepted() + ",\"duplicates\":" + stored.duplicates() + "}")
                    .type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("the body is empty", List.of(new ApiError.Detail("", "expected {\"events\": [...]}")));
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON", List.of(new ApiError.Detail("", Json.problem(e))));
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON", List.of(new ApiError.Detail("", "is not valid JSON in UTF-8")));
        }
    }
}
