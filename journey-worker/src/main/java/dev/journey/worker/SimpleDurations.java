package dev.journey.worker;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Durations written as Quarkus reads them ({@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h},
 * {@code 1d}, a bare number of seconds, or ISO-8601 {@code PT2S}), so one value means the same to
 * the API and to a standalone worker.
 */
final class SimpleDurations implements Converter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        Matcher m = SIMPLE.matcher(text);
        if (!m.matches()) {
            return Duration.parse(text.startsWith("P") || text.startsWith("p") ? text : "PT" + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
