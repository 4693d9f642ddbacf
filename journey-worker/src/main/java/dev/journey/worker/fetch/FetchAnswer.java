package dev.journey.worker.fetch;

/**
 * How a fetch ended: {@code data} the JSON answer (a map or a list) when {@code ok}, else
 * {@code error} in our own words. {@code status} is the HTTP status (0 when none came);
 * {@code attempts} how many were made, when known (0 otherwise).
 */
public record FetchAnswer(int status, boolean ok, String error, Object data, int attempts) {
    static FetchAnswer success(int status, Object data, int attempts) {
        return new FetchAnswer(status, true, null, data, attempts);
    }

    public static FetchAnswer failure(int status, String error, int attempts) {
        return new FetchAnswer(status, false, error, null, attempts);
    }
}
