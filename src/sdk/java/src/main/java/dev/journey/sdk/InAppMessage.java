package dev.journey.sdk;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * A message of the user's in-app inbox, as a journey's {@code inapp} step rendered it. What to show is in
 * {@link #content()} (the step's template: by convention {@code title}, {@code body}, {@code button},
 * {@code buttonUrl}, …); report what the user did with {@link JourneyClient#displayed}, {@link JourneyClient#clicked}
 * and {@link JourneyClient#closed}.
 */
public final class InAppMessage {
    private final String messageId;
    private final String userId;
    private final String journeyId;
    private final String stepId;
    private final Map<String, Object> content;
    private final Instant createdAt;
    private final Instant displayedAt;

    InAppMessage(String messageId, String userId, String journeyId, String stepId, Map<String, Object> content,
                 Instant createdAt, Instant displayedAt) {
        this.messageId = messageId;
        this.userId = userId;
        this.journeyId = journeyId;
        this.stepId = stepId;
        this.content = Collections.unmodifiableMap(content);
        this.createdAt = createdAt;
        this.displayedAt = displayedAt;
    }

    public String messageId() {
        return messageId;
    }

    /** The user whose inbox it came from: the reports name them, even after a logout. */
    public String userId() {
        return userId;
    }

    public String journeyId() {
        return journeyId;
    }

    public String stepId() {
        return stepId;
    }

    /** The rendered template, JSON values as Java ones (String, Number, Boolean, List, Map). */
    public Map<String, Object> content() {
        return content;
    }

    /** A text field of the content ({@code "title"}, {@code "body"}, …), or null when absent or not text. */
    public String text(String field) {
        Object v = content.get(field);
        return v instanceof String ? (String) v : null;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When it was first reported displayed (on any device), or null: not yet shown. */
    public Instant displayedAt() {
        return displayedAt;
    }

    @Override
    public String toString() {
        return "InAppMessage{" + messageId + ", user " + userId + ", " + content + "}";
    }
}
