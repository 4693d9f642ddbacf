package dev.journey.api.project;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.api.access.StartupSecurity;
import io.quarkus.runtime.Startup;

/**
 * The token for the admin API: JOURNEY_ADMIN_TOKEN, else (embedded run only) generated once and kept with
 * the other secrets. Made at start-up so that a missing or weak token stops the start ({@link StartupSecurity})
 * instead of the first admin request.
 */
@Startup
@ApplicationScoped
public class AdminToken {
    private final String token;
    /** What the start-up banner shows: the token only when this start generated it, else where it is. */
    private final String forBanner;
    private final StartupSecurity.Decision decision;

    public AdminToken(@ConfigProperty(name = "journey.admin.token") Optional<String> configured,
                      @ConfigProperty(name = "journey.embedded-database") Optional<String> embeddedDatabase,
                      @ConfigProperty(name = "journey.demo.enabled") boolean demoRequested, Secrets secrets) {
        this.decision = StartupSecurity.check(embeddedDatabase.isPresent(), configured, demoRequested);
        Secrets.Secret secret = secrets.obtain("admin.token", configured.map(String::trim).orElse(null), () -> ApiKeys.newSecret("jadm_"));
        this.token = secret.value();
        this.forBanner = secret.generated() ? token
                : configured.filter(t -> !t.isBlank()).isPresent() ? "<JOURNEY_ADMIN_TOKEN>" : "<admin.token in " + secrets.file() + ">";
    }

    /** Whether the demo project may be created in this run. */
    public boolean demoAllowed() {
        return decision.demoProject();
    }

    /** The token itself when this start generated it (the one time it is printed), else where it comes from. */
    public String forBanner() {
        return forBanner;
    }

    public boolean matches(String presented) {
        return ApiKeys.sameSecret(token, presented);
    }
}
