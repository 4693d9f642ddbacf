package dev.journey.sdk;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The engine's rules for what a client sends (journey-api's EventValidator, DeviceResource and
 * InAppActionResource; API.md "data values"), kept here so a caller's mistake is an
 * {@link IllegalArgumentException} naming the field at the call, instead of a batch the engine refuses later.
 * A copy by design: this library must not depend on the engine's modules. When the engine's rules change,
 * change them here too.
 */
public final class EventRules {
    /** journey.track.max-event-bytes: an event's data as compact JSON, counted in UTF-16 characters like the engine. */
    public static final int MAX_DATA_CHARS = 32768;
    /** journey.track.max-data-keys. */
    public static final int MAX_DATA_KEYS = 100;
    public static final int MAX_TYPE_CHARS = 128;
    public static final int MAX_ID_CHARS = 256;
    public static final int MAX_PUSH_TOKEN_CHARS = 4096;
    static final Set<String> PLATFORMS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList("ios", "android", "web")));

    private static final String NO_NUL = "must not contain the NUL character (\\u0000)";

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final List<String> CHANNELS = Arrays.asList("webhook", "email", "push", "sms", "inapp");

    private EventRules() {}

    /** An event type: 1 to 128 characters, no NUL, not starting with '@' (the engine's own events). */
    public static void type(String type) {
        text("type", type, MAX_TYPE_CHARS);
        if (type.startsWith("@")) {
            throw new IllegalArgumentException("type: names starting with '@' are reserved for automatically collected events");
        }
    }

    /** A user id, device id, message id: 1 to {@code max} characters, no NUL. */
    public static void text(String path, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(path + ": is required");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(path + ": " + NO_NUL);
        }
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(path + ": must be 1 to " + max + " characters long");
        }
    }

    /** A topic id as the engine takes it: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit. */
    public static void topic(String topic) {
        text("topic", topic, 64);
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic: must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    /** A channel type, or null for all channels. */
    public static void channel(String channel) {
        if (channel != null && !CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("channel: must be one of " + CHANNELS + ", or null for all channels");
        }
    }

    public static void platform(String platform) {
        text("platform", platform, 16);
        if (!PLATFORMS.contains(platform)) {
            throw new IllegalArgumentException("platform: must be one of ios, android, web");
        }
    }

    /**
     * Checks event data and returns it as the engine will receive it: times (Instant, OffsetDateTime,
     * ZonedDateTime, Date) become ISO-8601 strings with an offset, arrays and collections become lists.
     * Allowed values: String, finite Number, Boolean, null, and arrays whose elements are all strings or all
     * numbers. {@code null} data is an empty object.
     */
    public static Map<String, Object> data(Map<String, ?> data, ObjectMapper json) {
        Map<String, Object> clean = values(data == null ? Collections.<String, Object>emptyMap() : data, "data");
        String text;
        try {
            text = json.writeValueAsString(clean);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data: cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        if (text.length() > MAX_DATA_CHARS) {
            throw new IllegalArgumentException("data: is " + text.length() + " characters as JSON; an event's data may hold at most "
                    + MAX_DATA_CHARS);
        }
        return clean;
    }

    /** User tags: the same value rules as event data (a null value deletes the tag); at least one tag. */
    public static Map<String, Object> tags(Map<String, ?> tags) {
        if (tags == null || tags.isEmpty()) {
            throw new IllegalArgumentException("tags: must hold at least one tag (a null value deletes one)");
        }
        return values(tags, "tags");
    }

    private static Map<String, Object> values(Map<String, ?> input, String path) {
        if (input.size() > MAX_DATA_KEYS) {
            throw new IllegalArgumentException(path + ": has " + input.size() + " keys; at most " + MAX_DATA_KEYS + " are allowed");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> field : input.entrySet()) {
            String key = field.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException(path + "." + key + ": keys must not be empty");
            }
            String at = path + "." + key;
            if (key.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException(at + ": " + NO_NUL);
            }
            out.put(key, value(field.getValue(), at));
        }
        return out;
    }

    private static Object value(Object v, String at) {
        if (v == null || v instanceof Boolean) {
            return v;
        }
        if (v instanceof String || v instanceof Character) {
            String s = v.toString();
            if (s.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException(at + ": " + NO_NUL);
            }
            return s;
        }
        if (v instanceof Number) {
            return number((Number) v, at);
        }
        String time = time(v);
        if (time != null) {
            return time;
        }
        if (v instanceof Collection || v.getClass().isArray()) {
            return array(v, at);
        }
        if (v instanceof Map) {
            throw new IllegalArgumentException(at + ": nested objects are not allowed; use flat keys such as \""
                    + at.substring(at.lastIndexOf('.') + 1) + "_id\"");
        }
        throw new IllegalArgumentException(at + ": a " + v.getClass().getName()
                + " is not a valid value; use a string, number, boolean, ISO-8601 time, array of strings or numbers, or null");
    }

    private static Number number(Number n, String at) {
        boolean finite;
        if (n instanceof BigDecimal) {
            finite = Double.isFinite(n.doubleValue());
        } else if (n instanceof Double || n instanceof Float) {
            finite = Double.isFinite(n.doubleValue());
        } else {
            finite = true; // integral types, BigInteger: JSON holds them whole
        }
        if (!finite) {
            throw new IllegalArgumentException(at + ": must be a number within the range of a double (about ±1.8e308)");
        }
        return n;
    }

    /** ISO-8601 with an offset, the form the engine reads (OffsetDateTime.parse). */
    private static String time(Object v) {
        if (v instanceof Instant) {
            return v.toString();
        }
        if (v instanceof OffsetDateTime) {
            return v.toString();
        }
        if (v instanceof ZonedDateTime) {
            return ((ZonedDateTime) v).toOffsetDateTime().toString();
        }
        if (v instanceof Date) {
            return ((Date) v).toInstant().atOffset(ZoneOffset.UTC).toString();
        }
        return null;
    }

    private static List<Object> array(Object v, String at) {
        List<Object> items = new ArrayList<>();
        if (v instanceof Collection) {
            items.addAll((Collection<?>) v);
        } else {
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(Array.get(v, i));
            }
        }
        boolean strings = true;
        boolean numbers = true;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            strings &= item instanceof String;
            numbers &= item instanceof Number;
            if (item instanceof String && ((String) item).indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException(at + "[" + i + "]: " + NO_NUL);
            }
            if (item instanceof Number) {
                number((Number) item, at + "[" + i + "]");
            }
        }
        if (!strings && !numbers) {
            throw new IllegalArgumentException(at + ": array elements must be all strings or all numbers");
        }
        return items;
    }
}
