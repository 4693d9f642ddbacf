package dev.journey.api.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error shape of the API: {@code {"error", "message", "details": [{"path", "message"}]}};
 * a detail about a template also says the line and column of the problem, so an editor can point at it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, List<Detail> details) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String path, String message, Integer line, Integer column) {
        public Detail(String path, String message) {
            this(path, message, null, null);
        }
    }
}
