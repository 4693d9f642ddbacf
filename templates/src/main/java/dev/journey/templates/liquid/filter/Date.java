package dev.journey.templates.liquid.filter;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import liqp.TemplateContext;
import liqp.filters.Filter;
import liqp.parser.Flavor;
import ua.co.k.strftime.StrftimeFormatter;

/**
 * {@code date: format[, timezone]}: a time written with strftime's {@code %} codes.
 * <ul>
 * <li>Input: ISO-8601 text with an offset or {@code Z} ({@code 2024-03-05T10:00:00+09:00}), a Unix
 * time as a number or digits, {@code "now"}/{@code "today"}, or any text liqp's date parser reads
 * ({@code "March 14, 2016"}). <b>A Unix time whose absolute value is at least 10^11 is
 * milliseconds, smaller is seconds</b>: 10^11 seconds is the year 5138, 10^11 ms is March 1973,
 * so the two ranges do not meet for any date a message will show.</li>
 * <li>Zone: the second argument ({@code "Asia/Seoul"}, {@code "+09:00"}, {@code "UTC"}); without
 * it the context's {@code user.timezone}; without that an ISO time keeps its own offset and a
 * Unix time is UTC. An unknown zone is an error naming it.</li>
 * </ul>
 * {@code {{ 1709600000000 | date: "%Y-%m-%d %H:%M", "Asia/Seoul" }}} → {@code 2024-03-05 09:53}.
 * Text that is not a time, and a missing format, leave the input unchanged (as in Shopify).
 */
public final class Date extends LiquidFilter {
    private static final Filter LIQP = Flavor.LIQUID.getFilters().get("date");
    private static final Map<String, StrftimeFormatter> FORMATTERS = new ConcurrentHashMap<>();
    private static final Pattern DIGITS = Pattern.compile("-?\\d+");
    /** At or above this absolute value a Unix time is in milliseconds. */
    static final long MILLIS_FROM = 100_000_000_000L;

    public Date() {
        super("date", 1, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        ZoneId zone = args.length > 1 ? zone(args[1], true) : userZone(context);
        if (input == null) {
            return null;
        }
        if (args[0] == null || str(args[0], context).isBlank()) {
            return input;
        }
        ZonedDateTime time = time(input);
        if (time == null) {
            // text this filter does not read itself ("March 14, 2016", "now"): liqp's parser, in the chosen zone
            return LIQP.apply(input, context, args[0]);
        }
        if (zone != null) {
            time = time.withZoneSameInstant(zone);
        }
        return formatter(str(args[0], context), context).format(time);
    }

    /** The input as a point in time, or null when this filter leaves it to liqp. */
    static ZonedDateTime time(Object input) {
        if (input instanceof ZonedDateTime z) {
            return z;
        }
        if (input instanceof TemporalAccessor t) {
            try {
                return ZonedDateTime.from(t);
            } catch (DateTimeException e) {
                return null;
            }
        }
        if (input instanceof Number n && !(input instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            return unix(n.longValue());
        }
        if (!(input instanceof String s)) {
            return null;
        }
        String text = s.strip();
        if ("now".equalsIgnoreCase(text) || "today".equalsIgnoreCase(text)) {
            return ZonedDateTime.now(ZoneOffset.UTC);
        }
        if (DIGITS.matcher(text).matches() && text.length() <= 18) {
            return unix(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text).toZonedDateTime();
        } catch (DateTimeParseException ignored) {
            // not ISO with an offset; try the forms without one below
        }
        try {
            return ZonedDateTime.parse(text);
        } catch (DateTimeParseException ignored) {
            // not ISO with a region either
        }
        try {
            return LocalDateTime.parse(text).atZone(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // not an ISO local date-time
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    /** Compiled strftime patterns: a message uses a handful, compiling one costs more than the render. */
    private static StrftimeFormatter formatter(String pattern, TemplateContext context) {
        Locale locale = context != null && context.getParser() != null ? context.getParser().locale : Locale.ENGLISH;
        String key = locale.toLanguageTag() + "\u0000" + pattern;
        StrftimeFormatter formatter = FORMATTERS.get(key);
        if (formatter == null) {
            if (FORMATTERS.size() > 1_000) {
                FORMATTERS.clear();
            }
            formatter = StrftimeFormatter.ofSafePattern(pattern, locale);
            FORMATTERS.put(key, formatter);
        }
        return formatter;
    }

    private static ZonedDateTime unix(long value) {
        Instant instant = Math.abs(value) >= MILLIS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        return instant.atZone(ZoneOffset.UTC);
    }

    private ZoneId userZone(TemplateContext context) {
        Object user = context == null ? null : context.get("user");
        // containsKey first: reading an absent timezone must not count as the template using an undefined variable
        if (user instanceof Map<?, ?> map && map.containsKey("timezone") && map.get("timezone") instanceof String tz && !tz.isBlank()) {
            return zone(tz, false);
        }
        return null;
    }

    private static ZoneId zone(Object value, boolean strict) {
        if (value == null) {
            return null;
        }
        try {
            return ZoneId.of(String.valueOf(value).strip());
        } catch (DateTimeException e) {
            if (strict) {
                throw new FilterException("date: unknown time zone '" + value + "' (use a name like Asia/Seoul or an offset like +09:00)");
            }
            // a bad user.timezone is the data's fault, not the template's: keep the time's own zone
            return null;
        }
    }
}
