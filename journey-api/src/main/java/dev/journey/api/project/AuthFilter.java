package dev.journey.api.project;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ErrorMappers;

/**
 * Every {@code /v1/projects/{projectId}/...} call needs a Bearer key of that project (401 when
 * missing or unknown, 403 for another project's key); {@code /v1/admin/...} needs the admin token.
 */
public class AuthFilter {
    @Inject
    ApiKeys keys;
    @Inject
    AdminToken admin;

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, UriInfo uri) {
        String path = uri.getPath();
        String projectId = uri.getPathParameters().getFirst("projectId");
        boolean adminPath = path.startsWith("/v1/admin/") || path.equals("/v1/admin");
        if (projectId == null && !adminPath) {
            return Optional.empty();
        }
        String bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (bearer == null) {
            return deny(401, "unauthorized", "send \"Authorization: Bearer <key>\"");
        }
        if (adminPath) {
            return admin.matches(bearer) ? Optional.empty() : deny(401, "unauthorized", "the admin token is not valid");
        }
        Optional<String> owner = keys.projectOf(bearer);
        if (owner.isEmpty()) {
            return deny(401, "unauthorized", "the API key is not valid");
        }
        if (!owner.get().equals(projectId)) {
            return deny(403, "forbidden", "this API key belongs to another project");
        }
        return Optional.empty();
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static Optional<Response> deny(int status, String code, String message) {
        return Optional.of(ErrorMappers.json(status, new ApiError(code, message, null)));
    }
}
