package dev.journey.api.error;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * PostgreSQL stores no NUL character (U+0000) in text or jsonb, so the API takes none: a path or query
 * parameter that holds one is refused with a 400 naming it, before any lookup could fail on it with a 500.
 * JSON bodies are checked by {@link NoNulBody}; track requests, read as bytes, check their events themselves.
 */
public class NoNulInput {
    public static final String PROBLEM = "must not contain the NUL character (\\u0000)";

    /** After authentication: an unauthenticated request is a 401 whatever it holds. */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Optional<Response> parameters(UriInfo uri) {
        String at = first(uri.getPathParameters());
        if (at == null) {
            at = first(uri.getQueryParameters());
        }
        if (at == null) {
            return Optional.empty();
        }
        return Optional.of(ErrorMappers.json(400, new ApiError("invalid_request", "parameter " + at + " " + PROBLEM,
                List.of(new ApiError.Detail(at, PROBLEM)))));
    }

    private static String first(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            for (String value : p.getValue()) {
                if (value != null && value.indexOf('\u0000') >= 0) {
                    return p.getKey().replace('\u0000', '?');
                }
            }
        }
        return null;
    }
}
