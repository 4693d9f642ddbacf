package dev.journey.api.delivery;

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
import dev.journey.worker.message.DeliverySettings;
import dev.journey.worker.message.DeliverySettingsStore;

/**
 * A project's delivery policy: frequency caps per channel, quiet hours (in each user's timezone)
 * and click tracking. The whole document is replaced by PUT; {@code {}} switches everything off.
 * Messages of a step marked {@code transactional} are neither capped nor held.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/delivery-settings")
public class DeliverySettingsResource {
    @Inject
    DeliverySettingsStore settings;

    @GET
    public JsonNode get(@PathParam("projectId") String projectId) {
        return settings.get(projectId).toJson();
    }

    @PUT
    public JsonNode put(@PathParam("projectId") String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("delivery settings must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        List<Problem> problems = new ArrayList<>();
        DeliverySettings parsed = DeliverySettings.parse(body, problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the delivery settings are not valid",
                    problems.stream().map(p -> new ApiError.Detail(p.path(), p.message())).toList());
        }
        settings.put(projectId, parsed);
        return parsed.toJson();
    }
}
