package dev.journey.worker.channel;

import java.util.Map;
import java.util.Optional;

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

    /**
     * The longest error kept. Errors are built from our own words, status and reply codes and
     * short documented codes, never from what a peer wrote, so this only bounds lists (one error
     * per push device).
     */
    static final int MAX_ERROR_CHARS = 500;

    /**
     * The usual reading of an HTTP provider's status: 2xx done, 5xx/408/429 again later, any other
     * status (a redirect too: it is not followed) never. {@code code} is the provider's documented
     * error code for the log, when its answer had one.
     */
    static SendResult ofHttp(int status, Peer peer, Optional<String> code) {
        if (status >= 200 && status < 300) {
            return ok(Map.of());
        }
        String error = abbreviate("HTTP " + status + " from " + peer.phrase + code.map(c -> ": " + c).orElse(""));
        return status >= 500 || status == 429 || status == 408 ? retry(error) : reject(error);
    }

    /** At most {@link #MAX_ERROR_CHARS} characters, the last of them "…" when some were cut. */
    static String abbreviate(String s) {
        return s == null ? "" : s.length() > MAX_ERROR_CHARS ? s.substring(0, MAX_ERROR_CHARS - 1) + "…" : s;
    }
}
