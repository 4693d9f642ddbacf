package dev.journey.worker.message;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.dsl.Buckets;
import dev.journey.worker.dsl.Durations;
import dev.journey.worker.dsl.Problem;

/**
 * A project's delivery settings, as stored in {@code delivery_settings.settings} and answered by
 * the API:
 * <pre>
 * {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}],      channel: a type or "all"
 *  "quietHours": {"start": "21:00", "end": "08:00", "channels": ["push", "sms", "email"]},
 *  "clickTracking": {"baseUrl": "https://t.example.com", "opens": true},
 *  "holdout": {"percent": 10},
 *  "unsubscribeLinks": {"baseUrl": "https://t.example.com"}}
 * </pre>
 * Each part is null when it is not set ({@code frequencyCaps: []} is set, and caps nothing). Both base
 * URLs are where people's browsers reach this engine; unsubscribe links use the click-tracking one
 * when they have none of their own. With click tracking, e-mails also carry an open pixel unless
 * {@code opens} is false ({@link #trackOpens}).
 */
public record DeliverySettings(List<Cap> frequencyCaps, QuietHours quietHours, String clickBaseUrl, Integer holdoutPercent,
                               String unsubscribeBaseUrl, boolean trackOpens) {
    public DeliverySettings(List<Cap> frequencyCaps, QuietHours quietHours, String clickBaseUrl) {
        this(frequencyCaps, quietHours, clickBaseUrl, null, null);
    }

    public DeliverySettings(List<Cap> frequencyCaps, QuietHours quietHours, String clickBaseUrl, Integer holdoutPercent) {
        this(frequencyCaps, quietHours, clickBaseUrl, holdoutPercent, null);
    }

    public DeliverySettings(List<Cap> frequencyCaps, QuietHours quietHours, String clickBaseUrl, Integer holdoutPercent,
                            String unsubscribeBaseUrl) {
        this(frequencyCaps, quietHours, clickBaseUrl, holdoutPercent, unsubscribeBaseUrl, true);
    }

    /** Where an e-mail's open pixel points; null: e-mails carry none. */
    public String openBaseUrl() {
        return trackOpens ? clickBaseUrl : null;
    }

    /** Where unsubscribe links and the preference page are reached; null: messages carry none. */
    public String preferenceBaseUrl() {
        return unsubscribeBaseUrl != null ? unsubscribeBaseUrl : clickBaseUrl;
    }

    /** The largest hold-out a project may keep: beyond, too few users would get its messages to learn from. */
    public static final int MAX_HOLDOUT_PERCENT = 50;

    /**
     * Whether the subject is in the project's hold-out group (Braze's global control group): a
     * stable share of users who receive no marketing messages, so the uplift of messaging can be
     * measured. Drawn by a hash of (project, subject): the same user is always in or out while the
     * percentage stays; raising it only adds users.
     */
    public boolean heldOut(String projectId, String subjectId) {
        return holdoutPercent != null && Buckets.of(projectId + "/holdout/" + subjectId) < holdoutPercent;
    }

    /** At most {@code limit} messages on {@code channel} ("all": on any channel) per user in any {@code period}. */
    public record Cap(String channel, int limit, String period) {
        public static final String ALL = "all";

        public boolean allChannels() {
            return ALL.equals(channel);
        }

        public boolean applies(String type) {
            return allChannels() || channel.equals(type);
        }

        public Duration window() {
            return Durations.stored(period, MAX_CAP_PERIOD);
        }
    }

    /** No message on {@code channels} between {@code start} and {@code end} in the user's timezone. */
    public record QuietHours(LocalTime start, LocalTime end, List<String> channels) {
        /**
         * When the quiet hours around {@code now} end, in the user's zone; null when {@code now} is
         * outside them (or they do not apply to this channel). A window whose start is after its end
         * runs over midnight (21:00–08:00).
         */
        public Instant until(String channel, ZoneId zone, Instant now) {
            if (!appliesTo(channel)) {
                return null;
            }
            ZonedDateTime local = now.atZone(zone);
            LocalTime t = local.toLocalTime();
            boolean inside = start.isAfter(end) ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
            if (!inside) {
                return null;
            }
            ZonedDateTime until = ZonedDateTime.of(local.toLocalDate(), end, zone);
            if (!until.isAfter(local)) {
                until = ZonedDateTime.of(local.toLocalDate().plusDays(1), end, zone);
            }
            return until.toInstant();
        }

        /** Whether the window is a window (not empty) and holds this channel's messages. */
        public boolean appliesTo(String channel) {
            return start != null && end != null && !start.equals(end) && channels.contains(channel);
        }
    }

    /** Quiet hours apply to these when the settings do not name channels: the ones that interrupt. */
    public static final List<String> DEFAULT_QUIET_CHANNELS = List.of(ChannelType.PUSH.id(), ChannelType.SMS.id(), ChannelType.EMAIL.id());
    public static final DeliverySettings NONE = new DeliverySettings(null, null, null);
    /** A cap counts the user's messages over its period at every admission: bounded so that count stays cheap. */
    public static final Duration MAX_CAP_PERIOD = Duration.ofDays(90);
    public static final int MAX_CAP_LIMIT = 1_000_000;
    public static final int MAX_CAPS = 20;
    private static final Set<String> FIELDS = Set.of("frequencyCaps", "quietHours", "clickTracking", "holdout", "unsubscribeLinks");

    public List<Cap> caps() {
        return frequencyCaps == null ? List.of() : frequencyCaps;
    }

    /** Whether quiet hours can hold a message on this channel: only then does the user's timezone matter. */
    public boolean quietHoursApplyTo(String channel) {
        return quietHours != null && quietHours.appliesTo(channel);
    }

    /** When quiet hours hold a message on {@code channel} at {@code now}, until when; else null. */
    public Instant quietUntil(String channel, ZoneId zone, Instant now) {
        return quietHours == null ? null : quietHours.until(channel, zone, now);
    }

    /**
     * Reads settings, adding a problem with its path for every part that is wrong. Quiet hours
     * without channels get the default ones, so what is stored says what applies.
     */
    public static DeliverySettings parse(JsonNode body, List<Problem> problems) {
        if (body == null || !body.isObject()) {
            problems.add(new Problem("", "expected an object"));
            return NONE;
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, "unknown setting; expected one of " + FIELDS));
            }
        });
        return new DeliverySettings(caps(body.get("frequencyCaps"), problems), quietHours(body.get("quietHours"), problems),
                baseUrl(body.get("clickTracking"), "clickTracking", problems), holdout(body.get("holdout"), problems),
                baseUrl(body.get("unsubscribeLinks"), "unsubscribeLinks", problems), opens(body.get("clickTracking"), problems));
    }

    /** Settings as stored (checked when they were written). */
    public static DeliverySettings fromJson(JsonNode stored) {
        return parse(stored, new ArrayList<>());
    }

    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (frequencyCaps != null) {
            ArrayNode list = out.putArray("frequencyCaps");
            frequencyCaps.forEach(c -> list.addObject().put("channel", c.channel()).put("limit", c.limit()).put("period", c.period()));
        }
        if (quietHours != null) {
            ObjectNode q = out.putObject("quietHours");
            if (quietHours.start() != null) {
                q.put("start", quietHours.start().toString());
            }
            if (quietHours.end() != null) {
                q.put("end", quietHours.end().toString());
            }
            ArrayNode channels = q.putArray("channels");
            quietHours.channels().forEach(channels::add);
        }
        if (clickBaseUrl != null) {
            out.putObject("clickTracking").put("baseUrl", clickBaseUrl).put("opens", trackOpens);
        }
        if (holdoutPercent != null) {
            out.putObject("holdout").put("percent", holdoutPercent);
        }
        if (unsubscribeBaseUrl != null) {
            out.putObject("unsubscribeLinks").put("baseUrl", unsubscribeBaseUrl);
        }
        return out;
    }

    private static List<Cap> caps(JsonNode caps, List<Problem> problems) {
        if (caps == null || caps.isNull()) {
            return null;
        }
        if (!caps.isArray()) {
            problems.add(new Problem("frequencyCaps", "must be an array of {\"channel\", \"limit\", \"period\"}"));
            return null;
        }
        if (caps.size() > MAX_CAPS) {
            problems.add(new Problem("frequencyCaps", "at most " + MAX_CAPS + " caps"));
            return null;
        }
        List<Cap> out = new ArrayList<>();
        for (int i = 0; i < caps.size(); i++) {
            JsonNode cap = caps.get(i);
            String path = "frequencyCaps[" + i + "]";
            String channel = cap.path("channel").asText(null);
            if (channel == null || !(channel.equals(Cap.ALL) || ChannelType.IDS.contains(channel))) {
                problems.add(new Problem(path + ".channel", "must be \"all\" or one of " + ChannelType.IDS));
            }
            JsonNode limit = cap.get("limit");
            if (limit == null || !limit.isIntegralNumber() || !limit.canConvertToInt() || limit.asInt() < 0 || limit.asInt() > MAX_CAP_LIMIT) {
                problems.add(new Problem(path + ".limit", "must be a whole number from 0 to " + MAX_CAP_LIMIT));
            }
            String period = cap.path("period").asText(null);
            try {
                Duration d = Durations.parse(period);
                if (d.isNegative() || d.isZero() || d.compareTo(MAX_CAP_PERIOD) > 0) {
                    problems.add(new Problem(path + ".period", "must be a positive duration of at most P90D, e.g. \"P1D\""));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(path + ".period", e.getMessage()));
            }
            out.add(new Cap(channel, limit == null ? 0 : limit.asInt(), period));
        }
        return out;
    }

    private static QuietHours quietHours(JsonNode quiet, List<Problem> problems) {
        if (quiet == null || quiet.isNull()) {
            return null;
        }
        if (!quiet.isObject()) {
            problems.add(new Problem("quietHours", "must be {\"start\": \"21:00\", \"end\": \"08:00\"}"));
            return null;
        }
        LocalTime start = time(quiet, "start", problems);
        LocalTime end = time(quiet, "end", problems);
        JsonNode given = quiet.get("channels");
        List<String> channels = new ArrayList<>();
        if (given == null || given.isNull()) {
            channels.addAll(DEFAULT_QUIET_CHANNELS);
        } else if (!given.isArray()) {
            problems.add(new Problem("quietHours.channels", "must be an array of channel types"));
        } else {
            for (int i = 0; i < given.size(); i++) {
                if (!ChannelType.IDS.contains(given.get(i).asText())) {
                    problems.add(new Problem("quietHours.channels[" + i + "]", "must be one of " + ChannelType.IDS));
                }
                channels.add(given.get(i).asText());
            }
        }
        return new QuietHours(start, end, List.copyOf(channels));
    }

    private static LocalTime time(JsonNode quiet, String field, List<Problem> problems) {
        try {
            return LocalTime.parse(quiet.path(field).asText(""));
        } catch (DateTimeParseException e) {
            problems.add(new Problem("quietHours." + field, "must be a time of day such as \"21:00\""));
            return null;
        }
    }

    private static String baseUrl(JsonNode part, String name, List<Problem> problems) {
        if (part == null || part.isNull()) {
            return null;
        }
        String base = part.path("baseUrl").asText(null);
        try {
            URI uri = URI.create(base == null ? "" : base);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return base;
            }
        } catch (IllegalArgumentException e) {
            // the same answer as for a URL without a host
        }
        problems.add(new Problem(name + ".baseUrl", "must be the absolute http(s) URL this API is reached at, e.g. \"https://journeys.example.com\""));
        return null;
    }

    /** Opens are tracked unless click tracking says {@code "opens": false}, as with Braze and Customer.io. */
    private static boolean opens(JsonNode clickTracking, List<Problem> problems) {
        JsonNode opens = clickTracking == null ? null : clickTracking.get("opens");
        if (opens == null || opens.isNull()) {
            return true;
        }
        if (!opens.isBoolean()) {
            problems.add(new Problem("clickTracking.opens", "must be true (e-mails carry an open pixel) or false"));
            return true;
        }
        return opens.booleanValue();
    }

    private static Integer holdout(JsonNode holdout, List<Problem> problems) {
        if (holdout == null || holdout.isNull()) {
            return null;
        }
        JsonNode percent = holdout.path("percent");
        if (!holdout.isObject() || !percent.isIntegralNumber() || !percent.canConvertToInt() || percent.asInt() < 1
                || percent.asInt() > MAX_HOLDOUT_PERCENT) {
            problems.add(new Problem("holdout.percent", "must be a whole number from 1 to " + MAX_HOLDOUT_PERCENT
                    + " (the share of users who get no marketing messages); null for none"));
            return null;
        }
        return percent.asInt();
    }
}
