package dev.journey.worker.channel;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST <url>}, signed with {@code secret} (at least 16 characters; one is generated when
 * none is given). {@code timeout} is kept as written, {@code timeoutMillis} is what a send uses.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookConfig(String url, String secret, String timeout, Long timeoutMillis) implements ChannelConfig {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public List<Object> destination() {
        return List.of(url);
    }

    /** How long the receiver may take before the attempt counts as lost (and is tried again, with the same key). */
    public Duration attemptTimeout() {
        return timeoutMillis == null ? DEFAULT_TIMEOUT : Duration.ofMillis(timeoutMillis);
    }

    static WebhookConfig parse(JsonNode in, List<ConfigProblem> problems) {
        String url = ConfigFields.url(in, "url", true, problems);
        JsonNode secret = in.get("secret");
        if (secret != null && !secret.isNull() && (!secret.isTextual() || secret.asText().length() < 16)) {
            problems.add(new ConfigProblem("secret", "must be a string of at least 16 characters (or leave it out to get one)"));
        }
        Duration timeout = ConfigFields.timeout(in, problems);
        return new WebhookConfig(url, secret == null || secret.isNull() ? RandomIds.hex("whsec_", 32) : secret.asText(),
                timeout == null ? null : in.get("timeout").asText(), timeout == null ? null : timeout.toMillis());
    }
}
