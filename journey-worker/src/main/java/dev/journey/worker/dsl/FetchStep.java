package dev.journey.worker.dsl;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks an endpoint for data (Braze's Connected Content, Knock's fetch step): one HTTP GET or POST
 * whose JSON answer later templates and conditions read as {@code fetched.<id>}. {@code url},
 * header values and {@code body} are Liquid, rendered with what a message sees. Each attempt may
 * take {@code timeout}; a failure that may pass (5xx, 408, 429, no connection, a timeout) is tried
 * up to {@code retries} more times. When it fails for good the instance goes to {@code onFailure},
 * or, without one, to {@code next} with nothing fetched.
 */
public record FetchStep(String id, Request request, String timeout, Integer retries, String next, String onFailure)
        implements Step {
    public static final List<String> METHODS = List.of("GET", "POST");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** An attempt holds the instance (and a worker's thread) while it waits: longer is a slow endpoint, not a journey step. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 2;
    public static final int MAX_RETRIES = 10;

    /** What is sent: {@code body} only with POST (as JSON unless a {@code Content-Type} header says otherwise). */
    public record Request(String method, String url, Map<String, String> headers, String body) {
        /** Field name to Liquid source, as the renderer takes them: {@code url}, {@code headers.<name>}, {@code body}. */
        public Map<String, String> templates() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("url", url);
            if (headers != null) {
                headers.forEach((name, value) -> fields.put("headers." + name, value));
            }
            if (body != null) {
                fields.put("body", body);
            }
            return fields;
        }

        public String methodOrDefault() {
            return method == null ? "GET" : method;
        }
    }

    public Duration timeoutDuration() {
        return timeout == null ? DEFAULT_TIMEOUT : Durations.stored(timeout, MAX_TIMEOUT);
    }

    public int retriesOrDefault() {
        return retries == null ? DEFAULT_RETRIES : Math.max(0, Math.min(MAX_RETRIES, retries));
    }

    /** Where a failure goes: {@code onFailure} when given, else on to {@code next}. */
    public String failureNext() {
        return onFailure != null ? onFailure : next;
    }

    @Override
    public List<String> successors() {
        return Arrays.asList(next, onFailure);
    }
}
