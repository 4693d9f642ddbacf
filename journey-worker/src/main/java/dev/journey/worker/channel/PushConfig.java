package dev.journey.worker.channel;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/** A push provider: Firebase Cloud Messaging or Apple's APNs, told apart by {@code provider}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "provider")
@JsonSubTypes({@JsonSubTypes.Type(value = FcmConfig.class, name = "fcm"), @JsonSubTypes.Type(value = ApnsConfig.class, name = "apns")})
public sealed interface PushConfig extends ChannelConfig permits FcmConfig, ApnsConfig {
    @Override
    default ChannelType type() {
        return ChannelType.PUSH;
    }

    static PushConfig parse(JsonNode in, List<ConfigProblem> problems) {
        String baseUrl = ConfigFields.url(in, "baseUrl", false, problems);
        return switch (in.path("provider").asText("")) {
            case "fcm" -> FcmConfig.parse(baseUrl, in, problems);
            case "apns" -> ApnsConfig.parse(baseUrl, in, problems);
            default -> {
                problems.add(new ConfigProblem("provider", "must be one of [fcm, apns]"));
                yield null;
            }
        };
    }
}
