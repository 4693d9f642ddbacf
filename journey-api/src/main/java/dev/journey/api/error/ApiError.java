package dev.journey.api.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape of the API: {@code {"error", "message", "details": [{"path", "message"}]}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, List<Detail> details) {
    public record Detail(String path, String message) {}
}
