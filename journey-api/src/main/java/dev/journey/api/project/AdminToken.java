package dev.journey.api.project;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The token for {@code /v1/admin}: JOURNEY_ADMIN_TOKEN, else generated once and kept with the other secrets. */
@ApplicationScoped
public class AdminToken {
    private final String token;

    public AdminToken(@ConfigProperty(name = "journey.admin.token") java.util.Optional<String> configured, Secrets secrets) {
        this.token = secrets.get("admin.token", configured.orElse(null), () -> ApiKeys.newSecret("jadm_"));
    }

    public String value() {
        return token;
    }

    public boolean matches(String presented) {
        return ApiKeys.sameSecret(token, presented);
    }
}
