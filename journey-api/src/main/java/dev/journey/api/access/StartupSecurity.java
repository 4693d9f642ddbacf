package dev.journey.api.access;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a start may do with the admin token and the demo project, decided from the configuration alone.
 * The embedded run is one person trying the engine on their machine: a token may be generated and
 * printed once, and a demo project helps. Any other run (an external database: compose, production) is
 * reachable by others, so it needs a token chosen by its operator and gets no demo project with a
 * well-known id. A configured token that is short or a known example is refused in every run: that it
 * was set by hand does not make it secret.
 */
public final class StartupSecurity {
    public static final int MIN_ADMIN_TOKEN_LENGTH = 32;
    /** Example tokens that shipped in this project's files or are typed by habit. */
    private static final Set<String> KNOWN_TOKENS = Set.of("change-me-admin-token", "test-admin-token", "admin", "changeme",
            "change-me", "secret", "password", "token");
    static final String HOW = "set JOURNEY_ADMIN_TOKEN to a random value of at least " + MIN_ADMIN_TOKEN_LENGTH
            + " characters, e.g. JOURNEY_ADMIN_TOKEN=$(openssl rand -hex 32) (for docker compose, in the .env file beside docker-compose.yml)";

    private StartupSecurity() {}

    /**
     * @param generateAdminToken no token is configured and one may be generated (embedded run only)
     * @param demoProject        the demo project is created
     */
    public record Decision(boolean generateAdminToken, boolean demoProject) {}

    /** Refused configurations throw {@link IllegalStateException} with what to do about them. */
    public static Decision check(boolean embeddedDatabase, Optional<String> configuredToken, boolean demoRequested) {
        Optional<String> token = configuredToken.map(String::trim).filter(t -> !t.isEmpty());
        if (token.isPresent()) {
            String problem = weakness(token.get());
            if (problem != null) {
                throw new IllegalStateException("the admin token " + problem + ": " + HOW);
            }
        } else if (!embeddedDatabase) {
            throw new IllegalStateException("no admin token is configured, and with an external database none is generated: " + HOW);
        }
        return new Decision(token.isEmpty(), embeddedDatabase && demoRequested);
    }

    private static String weakness(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (KNOWN_TOKENS.contains(lower) || lower.contains("change-me") || lower.contains("changeme")) {
            return "is a known example value";
        }
        if (token.length() < MIN_ADMIN_TOKEN_LENGTH) {
            return "is too short (" + token.length() + " characters)";
        }
        return null;
    }
}
