package dev.journey.api.project;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.journey.api.access.AdminOnly;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNulInput;

@AdminOnly
@Path("/v1/admin/projects")
public class AdminResource {
    public record CreateProject(String name, String projectId) {}

    @Inject
    Projects projects;

    /** Creates a project and its first key; the key is shown this once. */
    @POST
    public Response create(CreateProject body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ApiException.badRequest("a project needs a name", java.util.List.of(new ApiError.Detail("name", "is required")));
        }
        if (body.name().indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("invalid name", java.util.List.of(new ApiError.Detail("name", NoNulInput.PROBLEM)));
        }
        Projects.Created created = projects.create(body.projectId(), body.name());
        return Response.status(201).entity(Map.of("projectId", created.projectId(), "apiKey", created.apiKey())).build();
    }
}
