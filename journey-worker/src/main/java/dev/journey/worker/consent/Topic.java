package dev.journey.worker.consent;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A subscription topic of a project ("news", "offers"): what a marketing message is about, so a user
 * can stop one kind of message and keep the others. {@code defaultStatus} is what applies to a user
 * who never chose: {@code subscribed} (opt-out, the usual for news) or {@code unsubscribed} (opt-in:
 * nobody gets it until they subscribe).
 */
public record Topic(String id, String name, String description, SubscriptionStatus defaultStatus) {
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 2000;

    /**
     * A topic as written to the API, each problem told to {@code problems} as (field, message); {@code id}
     * from the body unless {@code fixedId} (an update) is given.
     */
    public static Topic parse(JsonNode body, String fixedId, BiConsumer<String, String> problems) {
        if (body == null || !body.isObject()) {
            problems.accept("", "expected an object {\"id\", \"name\", \"description\", \"defaultStatus\"}");
            return null;
        }
        String id = fixedId;
        if (id == null) {
            JsonNode given = body.get("id");
            id = given != null && given.isTextual() ? given.asText() : null;
            if (id == null || !ID.matcher(id).matches()) {
                problems.accept("id", "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
        } else if (body.has("id") && !fixedId.equals(body.get("id").asText())) {
            problems.accept("id", "a topic's id cannot change (the URL names it)");
        }
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            problems.accept("name", "must be text of 1 to " + MAX_NAME + " characters (users see it on the preference page)");
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull() && (!description.isTextual() || description.asText().length() > MAX_DESCRIPTION)) {
            problems.accept("description", "must be text of at most " + MAX_DESCRIPTION + " characters, or null");
        }
        JsonNode status = body.get("defaultStatus");
        SubscriptionStatus defaultStatus = SubscriptionStatus.SUBSCRIBED;
        if (status != null && !status.isNull()) {
            defaultStatus = status.isTextual() ? SubscriptionStatus.of(status.asText()).orElse(null) : null;
            if (defaultStatus == null) {
                problems.accept("defaultStatus", "must be \"subscribed\" (users get it until they unsubscribe) or"
                        + " \"unsubscribed\" (only users who subscribe get it)");
            }
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!List.of("id", "name", "description", "defaultStatus").contains(field)) {
                problems.accept(field, "unknown field; expected id, name, description, defaultStatus");
            }
        });
        return new Topic(id, name == null ? null : name.asText(), description == null || description.isNull() ? null : description.asText(),
                defaultStatus);
    }
}
