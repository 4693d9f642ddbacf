package dev.journey.api.error;

import java.util.List;

/** A request the API refuses, with the status, a code, a message and the field paths at fault. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<ApiError.Detail> details;

    public ApiException(int status, String code, String message, List<ApiError.Detail> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public static ApiException badRequest(String message, List<ApiError.Detail> details) {
        return new ApiException(400, "invalid_request", message, details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " was not found");
    }

    public static ApiException unprocessable(String message, List<ApiError.Detail> details) {
        return new ApiException(422, "invalid_definition", message, details);
    }

    public int status() {
        return status;
    }

    public ApiError toError() {
        return new ApiError(code, getMessage(), details);
    }
}
