package dev.journey.worker.dsl;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/** ISO-8601 durations as marketers write them: {@code PT30M}, {@code P3D}, {@code P1W}, {@code P1DT12H}. */
public final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException naming the problem */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. \"P3D\" or \"PT1H\"");
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notATimeDuration) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) {
                    throw new IllegalArgumentException("months and years have no fixed length; use days or weeks: " + text);
                }
                return Duration.ofDays(period.getDays());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: \"" + text + "\" (e.g. \"P3D\", \"PT1H\")");
            }
        }
    }
}
