package dev.journey.api.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.worker.dsl.Problem;
import dev.journey.worker.retention.RetentionSettings;
import dev.journey.worker.retention.RetentionStore;

/**
 * How long the project keeps its events, message log and finished journey instances. PUT replaces
 * the whole document; a field left out (or {@code {}}) takes the engine's default. The answer also
 * says where each kind now begins ({@code retainedFrom}): lists show nothing older.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/retention")
public class RetentionResource {
    @Inject
    RetentionStore store;

    @GET
    public JsonNode get(@PathParam("projectId") String projectId) {
        return store.get(projectId).toJson(store.config(), Instant.now());
    }

    @PUT
    public JsonNode put(@PathParam("projectId") String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("retention settings must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        List<Problem> problems = new ArrayList<>();
        RetentionSettings parsed = RetentionSettings.parse(body, store.config(), problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the retention settings are not valid",
                    problems.stream().map(p -> new ApiError.Detail(p.path(), p.message())).toList());
        }
        store.put(projectId, parsed);
        return parsed.toJson(store.config(), Instant.now());
    }
}
