package dev.journey.api.error;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Every failure leaves the API in the one error shape; a bug is a logged 500 with no internals shown. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.toError());
    }

    /** Malformed or mistyped JSON in a request body, with the path Jackson stopped at. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? Json.path(m) : "";
        String problem = Json.problem(e);
        return json(400, new ApiError("invalid_request", "the request body is not valid: " + (path.isEmpty() ? "the body" : path) + " " + problem,
                List.of(new ApiError.Detail(path, problem))));
    }

    /** Quarkus maps this subtype itself, in a shape of its own; so it is named here to keep the API's one shape. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed"
                : status == 415 ? "unsupported_media_type" : status == 406 ? "not_acceptable" : "http_" + status;
        return json(status, new ApiError(code, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (DatabaseBusy.causedBy(e)) {
            // Every connection was in use for the whole acquisition timeout (a burst the pool cannot
            // serve at once): the request did nothing, so the caller may repeat it.
            LOG.warn("no database connection free within the acquisition timeout; answered 503");
            return Response.fromResponse(json(503, new ApiError("unavailable",
                    "the database is busy; retry in a moment", null))).header("Retry-After", "1").build();
        }
        LOG.error("unexpected error", e);
        return json(500, new ApiError("internal_error", "something went wrong on our side; it was logged", null));
    }

    /** The response of an error, for code that answers before a resource runs (the auth filter). */
    public static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
