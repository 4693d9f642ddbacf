package dev.journey.worker.message;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.worker.dsl.Durations;

/**
 * A project's delivery settings as the worker applies them, read leniently (the API validated them
 * on the way in):
 * <pre>
 * {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}],      channel: a type or "all"
 *  "quietHours": {"start": "21:00", "end": "08:00", "channels": ["push", "sms", "email"]},
 *  "clickTracking": {"baseUrl": "https://t.example.com"}}
 * </pre>
 */
public record DeliveryPolicy(List<Cap> caps, LocalTime quietStart, LocalTime quietEnd, List<String> quietChannels,
                             String clickBaseUrl) {
    /** At most {@code limit} messages on {@code channel} ("all": on any channel) per user in any {@code period}. */
    public record Cap(String channel, int limit, Duration period) {
        public boolean applies(String type) {
            return channel.equals("all") || channel.equals(type);
        }
    }

    /** Quiet hours apply to these when the settings do not name channels: the ones that interrupt. */
    public static final List<String> DEFAULT_QUIET_CHANNELS = List.of("push", "sms", "email");
    public static final DeliveryPolicy NONE = new DeliveryPolicy(List.of(), null, null, List.of(), null);

    public static DeliveryPolicy of(JsonNode s) {
        if (s == null || !s.isObject()) {
            return NONE;
        }
        List<Cap> caps = new ArrayList<>();
        for (JsonNode cap : s.path("frequencyCaps")) {
            caps.add(new Cap(cap.path("channel").asText("all"), cap.path("limit").asInt(), Durations.parse(cap.path("period").asText("P1D"))));
        }
        JsonNode quiet = s.path("quietHours");
        LocalTime start = null;
        LocalTime end = null;
        List<String> channels = new ArrayList<>(DEFAULT_QUIET_CHANNELS);
        if (quiet.isObject()) {
            start = LocalTime.parse(quiet.path("start").asText());
            end = LocalTime.parse(quiet.path("end").asText());
            if (quiet.path("channels").isArray()) {
                channels.clear();
                quiet.path("channels").forEach(c -> channels.add(c.asText()));
            }
        }
        String base = s.path("clickTracking").path("baseUrl").asText(null);
        return new DeliveryPolicy(caps, start, end, channels, base);
    }

    /**
     * When the quiet hours around {@code now} end, in the user's zone; null when {@code now} is
     * outside them (or there are none for this channel). A window whose start is after its end
     * runs over midnight (21:00–08:00).
     */
    public Instant quietUntil(String channel, ZoneId zone, Instant now) {
        if (quietStart == null || quietStart.equals(quietEnd) || !quietChannels.contains(channel)) {
            return null;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean overMidnight = quietStart.isAfter(quietEnd);
        boolean inside = overMidnight ? !t.isBefore(quietStart) || t.isBefore(quietEnd)
                : !t.isBefore(quietStart) && t.isBefore(quietEnd);
        if (!inside) {
            return null;
        }
        ZonedDateTime end = ZonedDateTime.of(local.toLocalDate(), quietEnd, zone);
        if (!end.isAfter(local)) {
            end = ZonedDateTime.of(local.toLocalDate().plusDays(1), quietEnd, zone);
        }
        return end.toInstant();
    }
}
