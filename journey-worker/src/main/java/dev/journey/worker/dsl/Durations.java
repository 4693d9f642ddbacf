package dev.journey.worker.dsl;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/** ISO-8601 durations as marketers write them: {@code PT30M}, {@code P3D}, {@code P1W}, {@code P1DT12H}. */
public final class Durations {
    /**
     * The longest duration anything accepts (a wait, a timeout, a cooldown, a segment's look-back):
     * ten years is longer than any journey or look-back anyone plans, and far from the limits of
     * timestamps and timers, so {@code now ± duration} always has an answer.
     */
    public static final Duration MAX = Duration.ofDays(3650);

    private Durations() {}

    /** @throws IllegalArgumentException naming the problem */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. \"P3D\" or \"PT1H\"");
        }
        Duration d = parseUnbounded(text);
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("must be at most P3650D (ten years): " + text);
        }
        return d;
    }

    /**
     * A duration read from something already stored (checked when it was saved, perhaps before
     * {@link #MAX} existed): one longer than {@code max} counts as {@code max}, so a definition,
     * segment or setting saved under older rules still runs instead of failing every time.
     */
    public static Duration stored(String text, Duration max) {
        Duration d = parseUnbounded(text);
        return d.compareTo(max) > 0 ? max : d;
    }

    public static Duration stored(String text) {
        return stored(text, MAX);
    }

    private static Duration parseUnbounded(String text) {
        try {
            return Duration.parse(text);
        } catch (ArithmeticException tooLong) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        } catch (DateTimeParseException notATimeDuration) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) {
                    throw new IllegalArgumentException("months and years have no fixed length; use days or weeks: " + text);
                }
                return Duration.ofDays(period.getDays());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: \"" + text + "\" (e.g. \"P3D\", \"PT1H\")");
            } catch (ArithmeticException e) {
                // Weeks are counted in days as an int: "P-2147483648W" overflows before any bound can be checked.
                throw new IllegalArgumentException("out of range: \"" + text + "\"; at most P3650D (ten years)");
            }
        }
    }
}
