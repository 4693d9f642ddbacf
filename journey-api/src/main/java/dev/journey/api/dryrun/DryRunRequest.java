package dev.journey.api.dryrun;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.event.EventTimes;
import dev.journey.worker.dsl.Durations;

/**
 * What a dry run is asked for: the period {@code [since, until)} — {@code since} a duration back
 * from now ({@code "P7D"}) or a time, {@code until} a time or a duration back from now (default:
 * now) — and optionally an unsaved {@code definition} to run instead of the stored draft, and
 * {@code maxEvents}, fewer events to read than the configured most (a quick look at a long period).
 * Every problem is a 400 naming its field.
 */
record DryRunRequest(Instant since, Instant until, JsonNode definition, Long maxEvents) {
    /** The period when none is given: the last week. */
    static final String DEFAULT_SINCE = "P7D";
    private static final Set<String> FIELDS = Set.of("since", "until", "definition", "maxEvents");

    static DryRunRequest parse(JsonNode body, Instant now) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw ApiException.badRequest("invalid dry run", List.of(new ApiError.Detail("", "expected an object such as {\"since\": \"P7D\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode given = body == null || body.isNull() ? null : body;
        if (given != null) {
            given.fieldNames().forEachRemaining(name -> {
                if (!FIELDS.contains(name)) {
                    problems.add(new ApiError.Detail(name, "unknown field; expected one of since, until, definition, maxEvents"));
                }
            });
        }
        Instant since = moment(given == null ? null : given.get("since"), "since", DEFAULT_SINCE, now, problems);
        Instant until = moment(given == null ? null : given.get("until"), "until", null, now, problems);
        if (since != null && until != null && !since.isBefore(until)) {
            problems.add(new ApiError.Detail("until", "must be after since (" + since + ")"));
        }
        JsonNode definition = given == null ? null : given.get("definition");
        if (definition != null && definition.isNull()) {
            definition = null;
        }
        JsonNode max = given == null ? null : given.get("maxEvents");
        Long maxEvents = null;
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToLong() || max.asLong() < 1) {
                problems.add(new ApiError.Detail("maxEvents", "must be a whole number of at least 1"));
            } else {
                maxEvents = max.asLong();
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.size() == 1 ? "invalid dry run" : problems.size() + " problems in the dry run", problems);
        }
        return new DryRunRequest(since, until == null ? now : until, definition, maxEvents);
    }

    /** A time, or a duration back from {@code now}; {@code fallback} (a duration) when absent, null when there is none. */
    private static Instant moment(JsonNode node, String field, String fallback, Instant now, List<ApiError.Detail> problems) {
        if (node == null || node.isNull()) {
            return fallback == null ? null : now.minus(Durations.parse(fallback));
        }
        if (!node.isTextual()) {
            problems.add(new ApiError.Detail(field, "must be an ISO-8601 duration back from now (\"P7D\") or time (\"2024-04-19T00:00:00Z\")"));
            return null;
        }
        String text = node.asText();
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                Duration back = Durations.parse(text);
                if (back.isNegative() || back.isZero()) {
                    problems.add(new ApiError.Detail(field, "must be a positive duration back from now, e.g. \"P7D\""));
                    return null;
                }
                return now.minus(back);
            } catch (IllegalArgumentException e) {
                problems.add(new ApiError.Detail(field, e.getMessage()));
                return null;
            }
        }
        try {
            return EventTimes.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail(field, e.getMessage() + "; or a duration back from now such as \"P7D\""));
            return null;
        }
    }
}
