package dev.journey.worker.channel;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** An SMTP server: where, how the connection is secured, who logs in, and the sender address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmailConfig(String host, Integer port, Tls tls, String username, String password, String from, String timeout,
                          Long timeoutMillis) implements ChannelConfig {
    /** {@code none}, {@code starttls} (upgrade required) or {@code tls} (implicit, usually port 465). */
    public enum Tls {
        @JsonProperty("none") NONE,
        @JsonProperty("starttls") STARTTLS,
        @JsonProperty("tls") TLS;

        static final List<String> IDS = Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    /** The server and the account logged in to it. */
    @Override
    public List<Object> destination() {
        return java.util.Arrays.asList(host == null ? null : host.toLowerCase(Locale.ROOT), port, username);
    }

    public Duration attemptTimeout() {
        return timeoutMillis == null ? DEFAULT_TIMEOUT : Duration.ofMillis(timeoutMillis);
    }

    public boolean authenticates() {
        return username != null && !username.isEmpty();
    }

    static EmailConfig parse(JsonNode in, List<ConfigProblem> problems) {
        String host = ConfigFields.text(in, "host", true, problems);
        JsonNode p = in.get("port");
        Integer port = null;
        if (p == null || !p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 1 || p.asInt() > 65535) {
            problems.add(new ConfigProblem("port", "must be a port number (1-65535), e.g. 587"));
        } else {
            port = p.asInt();
        }
        String tlsName = in.path("tls").asText("starttls");
        Tls tls = null;
        if (!Tls.IDS.contains(tlsName)) {
            problems.add(new ConfigProblem("tls", "must be one of " + Tls.IDS));
        } else {
            tls = Tls.valueOf(tlsName.toUpperCase(Locale.ROOT));
        }
        String username = ConfigFields.text(in, "username", false, problems);
        String password = ConfigFields.text(in, "password", username != null, problems);
        String from = in.path("from").asText(null);
        try {
            if (from == null) {
                throw new AddressException("missing");
            }
            new InternetAddress(from, true).validate();
        } catch (AddressException e) {
            problems.add(new ConfigProblem("from", "must be an e-mail address, e.g. \"Shop <shop@example.com>\""));
        }
        Duration timeout = ConfigFields.timeout(in, problems);
        return new EmailConfig(host, port, tls, username, password, from,
                timeout == null ? null : in.get("timeout").asText(), timeout == null ? null : timeout.toMillis());
    }
}
