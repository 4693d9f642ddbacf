package dev.journey.worker.channel;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Twilio-compatible account: its sid and auth token, the sender ({@code from}, an E.164 number or
 * an alphanumeric id, or a {@code messagingServiceSid}), and how many segments one message may use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmsConfig(String baseUrl, String accountSid, String authToken, String messagingServiceSid, String from,
                        Integer maxSegments) implements ChannelConfig {
    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    static final int DEFAULT_MAX_SEGMENTS = 10;
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern ALPHA_SENDER = Pattern.compile("[A-Za-z0-9 ]{1,11}");

    @Override
    public ChannelType type() {
        return ChannelType.SMS;
    }

    @Override
    public List<Object> destination() {
        return java.util.Arrays.asList(providerUrl(), accountSid);
    }

    public String providerUrl() {
        return baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
    }

    public int segmentLimit() {
        return maxSegments == null ? DEFAULT_MAX_SEGMENTS : maxSegments;
    }

    static SmsConfig parse(JsonNode in, List<ConfigProblem> problems) {
        String baseUrl = ConfigFields.url(in, "baseUrl", false, problems);
        String accountSid = ConfigFields.text(in, "accountSid", true, problems);
        String authToken = ConfigFields.text(in, "authToken", true, problems);
        String service = ConfigFields.text(in, "messagingServiceSid", false, problems);
        String from = null;
        if (in.hasNonNull("from")) {
            from = in.get("from").asText();
            if (!E164.matcher(from).matches() && !ALPHA_SENDER.matcher(from).matches()) {
                problems.add(new ConfigProblem("from", "must be an E.164 number (+14155550100) or an alphanumeric sender of up to 11 characters"));
            }
        } else if (service == null) {
            problems.add(new ConfigProblem("from", "is required (or give messagingServiceSid)"));
        }
        JsonNode max = in.get("maxSegments");
        if (max != null && !max.isNull() && (!max.isIntegralNumber() || max.asInt() < 1 || max.asInt() > 20)) {
            problems.add(new ConfigProblem("maxSegments", "must be a whole number from 1 to 20"));
        }
        return new SmsConfig(baseUrl, accountSid, authToken, service, from,
                max == null || max.isNull() ? DEFAULT_MAX_SEGMENTS : max.asInt());
    }
}
