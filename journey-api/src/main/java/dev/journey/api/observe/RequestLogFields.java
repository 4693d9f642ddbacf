package dev.journey.api.observe;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.journey.worker.observe.LogFields;

/**
 * Puts the request's project, journey and message ids (from its path) into the log context, so every line
 * logged while serving it carries them: as fields of the JSON console format ({@code "mdc": {"projectId": …}}).
 * Quarkus keeps the MDC in the request's Vert.x context, so the values follow the request across threads and
 * end with it. Runs before authentication, so even a refused request's lines say which project it named.
 */
public class RequestLogFields {
    /** Path values are the caller's text: a log field is bounded like the ids themselves. */
    private static final int MAX = 128;

    @ServerRequestFilter(preMatching = false, priority = 100)
    public void tag(ContainerRequestContext request, UriInfo uri) {
        var params = uri.getPathParameters();
        put(LogFields.PROJECT, params.getFirst("projectId"));
        put(LogFields.MESSAGE, params.getFirst("messageId"));
        if (uri.getPath().contains("/journeys/")) {
            put(LogFields.JOURNEY, params.getFirst("id"));
        }
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value.length() > MAX ? value.substring(0, MAX) : value);
        }
    }
}
