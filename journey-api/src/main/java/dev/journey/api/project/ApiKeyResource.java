package dev.journey.api.project;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.paging.PagedList;

/**
 * A project's API keys, managed with a secret key of the project or the admin token: create (the key is
 * in the answer this once), list (never the key or its hash), rotate (a new key with the same name and
 * scope; the old one revoked now or after {@code expiresIn}) and revoke (refused at once).
 */
@NoNul
@ProjectKey(orAdmin = true)
@Path("/v1/projects/{projectId}/api-keys")
public class ApiKeyResource {
    private static final int MAX_NAME = 100;

    @Inject
    ApiKeys keys;

    @POST
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        requireProject(projectId);
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a key needs a name and a scope",
                    List.of(new ApiError.Detail("", "expected {\"name\": \"web\", \"scope\": \"publishable\" or \"secret\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            problems.add(new ApiError.Detail("name", "must be a string of 1 to " + MAX_NAME + " characters"));
        }
        JsonNode scope = body.get("scope");
        KeyScope parsed = scope != null && scope.isTextual() ? KeyScope.of(scope.asText()).orElse(null) : null;
        if (parsed == null) {
            problems.add(new ApiError.Detail("scope", "must be \"publishable\" (for web pages and apps) or \"secret\" (for servers)"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the key is not valid; nothing was created", problems);
        }
        ApiKeys.Issued issued = keys.issue(projectId, name.asText(), parsed);
        return Response.status(201).entity(view(issued.row(), issued.key())).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        requireProject(projectId);
        return keys.list(projectId).stream().map(k -> view(k, null)).toList();
    }

    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
        requireProject(projectId);
        Duration grace = grace(body);
        ApiKeys.Rotated rotated = keys.rotate(projectId, id, grace);
        Map<String, Object> view = view(rotated.issued().row(), rotated.issued().key());
        view.put("replaced", Map.of("id", id, "revokedAt", rotated.oldRevokedAt().toString()));
        return Response.status(201).entity(view).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        requireProject(projectId);
        keys.revoke(projectId, id);
        return Response.noContent().build();
    }

    /** The admin token reaches any project id: one that does not exist is a 404, not a failed insert. */
    private static void requireProject(String projectId) {
        if (Project.findById(projectId) == null) {
            throw ApiException.notFound("project " + projectId);
        }
    }

    private static Duration grace(JsonNode body) {
        JsonNode expiresIn = body == null || !body.isObject() ? null : body.get("expiresIn");
        if (body != null && !body.isObject() && !body.isNull()) {
            throw ApiException.badRequest("the body must be a JSON object", List.of(new ApiError.Detail("", "expected {\"expiresIn\": \"PT1H\"} or nothing")));
        }
        if (expiresIn == null || expiresIn.isNull()) {
            return Duration.ZERO;
        }
        try {
            Duration grace = expiresIn.isTextual() ? Duration.parse(expiresIn.asText()) : null;
            if (grace != null && !grace.isNegative() && grace.compareTo(ApiKeys.MAX_GRACE) <= 0) {
                return grace;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid expiresIn", List.of(new ApiError.Detail("expiresIn",
                "how long the old key keeps working, an ISO-8601 duration from PT0S to " + ApiKeys.MAX_GRACE + " (e.g. \"PT1H\")")));
    }

    private Map<String, Object> view(ApiKey k, String key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", k.id);
        view.put("name", k.name);
        view.put("scope", k.scope);
        view.put("prefix", k.prefix);
        view.put("createdAt", k.createdAt.toString());
        Instant lastUsed = keys.lastUsedAt(k);
        view.put("lastUsedAt", lastUsed == null ? null : lastUsed.toString());
        view.put("expiresAt", k.revokedAt == null ? null : k.revokedAt.toString());
        if (key != null) {
            view.put("key", key);
        }
        return view;
    }
}
