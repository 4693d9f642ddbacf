package dev.journey.api.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. A publishable key is meant to be shipped in a web page or a mobile app, where
 * anyone can read it: it may only send what such a client sends. A secret key stays on the customer's
 * servers and may do everything its project allows.
 */
public enum KeyScope {
    PUBLISHABLE("jpk_"),
    SECRET("jk_");

    private final String prefix;

    KeyScope(String prefix) {
        this.prefix = prefix;
    }

    /** How a key of this scope begins, so a leaked key is recognisable (and a secret-scanner can match it). */
    public String prefix() {
        return prefix;
    }

    /** The scope's name in the API: {@code publishable} or {@code secret}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<KeyScope> of(String id) {
        for (KeyScope scope : values()) {
            if (scope.id().equals(id)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
