package dev.journey.worker.channel;

import java.util.Map;

/**
 * How one attempt at a provider ended. {@code retryable} for what may pass on a later attempt (5xx,
 * 408, 429, timeouts, refused connections); {@code details} are kept in the message log's
 * {@code delivery} (SMS segments and encoding, push tokens reached) whatever the outcome.
 */
public record SendResult(boolean delivered, boolean retryable, String error, Map<String, Object> details) {
    public static SendResult ok(Map<String, Object> details) {
        return new SendResult(true, false, null, details);
    }

    public static SendResult retry(String error) {
        return new SendResult(false, true, error, Map.of());
    }

    public static SendResult reject(String error) {
        return new SendResult(false, false, error, Map.of());
    }

    public static SendResult reject(String error, Map<String, Object> details) {
        return new SendResult(false, false, error, details);
    }

    /** The most of a provider's answer an error keeps: the message log shows it, and a peer decides how much it says. */
    static final int MAX_ERROR_CHARS = 500;

    /** The usual reading of an HTTP provider's status: 2xx done, 5xx/408/429 again later, any other 4xx never. */
    static SendResult ofHttp(int status, String body) {
        if (status >= 200 && status < 300) {
            return ok(Map.of());
        }
        String error = abbreviate("HTTP " + status + ": " + (body == null ? "" : body));
        return status >= 500 || status == 429 || status == 408 ? retry(error) : reject(error);
    }

    /** At most {@link #MAX_ERROR_CHARS} characters, the last of them "…" when some were cut. */
    static String abbreviate(String s) {
        return s == null ? "" : s.length() > MAX_ERROR_CHARS ? s.substring(0, MAX_ERROR_CHARS - 1) + "…" : s;
    }
}
