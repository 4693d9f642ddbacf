package dev.journey.worker.channel;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.journey.worker.db.StoredName;

/**
 * The kinds of channel a project can configure and a message step can name: the one list of them,
 * and of the template fields a message needs on each (checked when a journey is saved).
 */
public enum ChannelType implements StoredName {
    WEBHOOK(List.of()),
    EMAIL(List.of(List.of("subject"), List.of("html", "text"))),
    PUSH(List.of(List.of("title", "body"))),
    SMS(List.of(List.of("body"))),
    INAPP(List.of(List.of("title", "body")));

    /** The types as they are written in requests and stored: {@code [webhook, email, push, sms, inapp]}. */
    public static final List<String> IDS = Arrays.stream(values()).map(ChannelType::id).toList();

    private final List<List<String>> requiredFields;

    ChannelType(List<List<String>> requiredFields) {
        this.requiredFields = requiredFields;
    }

    /** The type as requests name it: its stored value. */
    public String id() {
        return value();
    }

    /** Groups of template fields of which at least one must be there (e-mail: a subject, and html or text). */
    public List<List<String>> requiredFields() {
        return requiredFields;
    }

    public static Optional<ChannelType> of(String id) {
        return StoredName.of(ChannelType.class, id);
    }

    @Override
    public String toString() {
        return id();
    }
}
