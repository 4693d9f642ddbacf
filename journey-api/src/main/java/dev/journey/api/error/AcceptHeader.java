package dev.journey.api.error;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.common.util.MediaTypeHelper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * The Accept header is read when the answer is written, where one that does not parse failed the request
 * with a 500 after the work was done. So it is read first: a blank one counts as none (any type is
 * accepted), and one that does not parse is a 400 before anything runs.
 */
public class AcceptHeader {
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request, HttpServerRequest http) {
        List<String> values = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.stream().allMatch(v -> v == null || v.isBlank())) {
            // The answer's type is chosen from the transport's headers, so the header goes from there too.
            http.headers().remove(HttpHeaders.ACCEPT);
            request.getHeaders().remove(HttpHeaders.ACCEPT);
            return Optional.empty();
        }
        for (String value : values) {
            try {
                MediaTypeHelper.parseHeader(value);
            } catch (RuntimeException e) {
                return Optional.of(ErrorMappers.json(400, new ApiError("invalid_request", "the Accept header does not parse",
                        List.of(new ApiError.Detail("Accept", "must list media types such as application/json")))));
            }
        }
        return Optional.empty();
    }
}
