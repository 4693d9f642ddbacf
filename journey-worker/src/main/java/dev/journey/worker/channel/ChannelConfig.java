package dev.journey.worker.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a channel of each type needs to reach its provider, as stored in {@code channel.config}.
 * {@link #parse} is the one place a configuration is checked: every problem is named with its
 * field, and secrets a replacement leaves out are taken from the stored configuration, as long as
 * it still sends them to the same {@link #destination()}.
 */
public sealed interface ChannelConfig permits WebhookConfig, EmailConfig, PushConfig, SmsConfig, InAppConfig {
    @JsonIgnore
    ChannelType type();

    /**
     * Where the channel's secrets are presented (a URL, a host and port, the provider account):
     * a replacement that changes any of it must give the secrets again, or a {@code PUT} of a new
     * address alone would hand the stored credentials to whoever answers there.
     */
    @JsonIgnore
    List<Object> destination();

    /** Config fields that are credentials: written, never read back. */
    static Set<String> secretFields(ChannelType type) {
        return switch (type) {
            case WEBHOOK -> Set.of("secret");
            case EMAIL -> Set.of("password");
            case PUSH -> Set.of("accessToken", "serviceAccount", "privateKey");
            case SMS -> Set.of("authToken");
            case INAPP -> Set.of();
        };
    }

    /**
     * Reads and checks a configuration of {@code type}; {@code stored} (null for a new channel)
     * supplies the secrets that {@code body} leaves out.
     *
     * @throws InvalidChannelException naming every problem
     */
    static ChannelConfig parse(ChannelType type, JsonNode body, ChannelConfig stored) {
        if (body == null || !body.isObject()) {
            throw new InvalidChannelException("a channel must be a JSON object", List.of(new ConfigProblem("", "expected an object")));
        }
        ObjectNode in = body.deepCopy();
        List<String> kept = new ArrayList<>();
        if (stored != null) {
            ObjectNode storedJson = stored.toJson();
            for (String secret : secretFields(type)) {
                if (!in.hasNonNull(secret) && storedJson.hasNonNull(secret)) {
                    in.set(secret, storedJson.get(secret));
                    kept.add(secret);
                }
            }
        }
        if (!kept.isEmpty()) {
            ChannelConfig withKept = checked(type, in, null);
            if (withKept.destination().equals(stored.destination())) {
                return withKept;
            }
            String why = "the destination changed, so the stored " + String.join(" and ", kept)
                    + " is not sent there: give it again in this request";
            return checked(type, body.deepCopy(), why);
        }
        return checked(type, in, null);
    }

    /** Checks a configuration; {@code secretsWhy}, when given, explains every problem with a secret field. */
    private static ChannelConfig checked(ChannelType type, ObjectNode in, String secretsWhy) {
        List<ConfigProblem> problems = new ArrayList<>();
        ChannelConfig config = switch (type) {
            case WEBHOOK -> WebhookConfig.parse(in, problems);
            case EMAIL -> EmailConfig.parse(in, problems);
            case PUSH -> PushConfig.parse(in, problems);
            case SMS -> SmsConfig.parse(in, problems);
            case INAPP -> new InAppConfig();
        };
        if (!problems.isEmpty()) {
            List<ConfigProblem> named = problems.stream().map(p -> secretsWhy != null && secretFields(type).contains(p.path())
                    ? new ConfigProblem(p.path(), secretsWhy) : p).toList();
            throw new InvalidChannelException("the " + type + " channel is not valid", named);
        }
        return config;
    }

    /** The stored form. */
    default ObjectNode toJson() {
        return ConfigJson.MAPPER.valueToTree(this);
    }

    /** A configuration as stored (checked when it was written). */
    static ChannelConfig fromJson(ChannelType type, JsonNode stored) {
        try {
            Class<? extends ChannelConfig> kind = switch (type) {
                case WEBHOOK -> WebhookConfig.class;
                case EMAIL -> EmailConfig.class;
                case PUSH -> PushConfig.class;
                case SMS -> SmsConfig.class;
                case INAPP -> InAppConfig.class;
            };
            return ConfigJson.MAPPER.treeToValue(stored, kind);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type + " channel could not be read: " + e.getOriginalMessage(), e);
        }
    }
}
