package dev.journey.worker.channel;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** How channel configurations read their fields: each reader adds a problem for a bad value and answers null. */
final class ConfigFields {
    private ConfigFields() {}

    static String text(JsonNode in, String field, boolean required, List<ConfigProblem> problems) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(new ConfigProblem(field, "is required"));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(new ConfigProblem(field, "must be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    /** An absolute http(s) URL; a base URL (anything but a webhook's {@code url}) loses a trailing slash. */
    static String url(JsonNode in, String field, boolean required, List<ConfigProblem> problems) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(new ConfigProblem(field, "must be an absolute http or https URL"));
            }
            return null;
        }
        try {
            URI uri = URI.create(v.asText());
            if (!v.isTextual() || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(new ConfigProblem(field, "must be an absolute http or https URL"));
                return null;
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(field, "must be an absolute http or https URL"));
            return null;
        }
        String url = v.asText();
        return url.endsWith("/") && !field.equals("url") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * How long one request or SMTP step may take ("PT5S"), as given; at most 25 s, and a send cuts
     * it further to what is left of the attempt's own deadline (which stays below the delivery
     * activity's 30 s).
     */
    static Duration timeout(JsonNode in, List<ConfigProblem> problems) {
        JsonNode v = in.get("timeout");
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            Duration d = Duration.parse(v.asText());
            if (v.isTextual() && d.toMillis() >= 100 && d.compareTo(Duration.ofSeconds(25)) <= 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // the same answer as for a duration out of range
        }
        problems.add(new ConfigProblem("timeout", "must be an ISO-8601 duration from PT0.1S to PT25S, e.g. \"PT5S\""));
        return null;
    }
}
