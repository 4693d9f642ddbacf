package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class WaitStepTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @Test
    void aDurationEndsThatLongAfterItsStartWhateverTheZone() {
        assertEquals(Instant.parse("2026-05-04T01:00:00Z"),
                new WaitStep("w", "P3D", null, null).endsAt(Instant.parse("2026-05-01T01:00:00Z"), SEOUL));
    }

    @Test
    void aTimeOfDayEndsAtItsNextOccurrenceInTheUsersZone() {
        WaitStep nine = new WaitStep("w", null, "09:00", null);
        // 08:00 in Seoul: 09:00 the same day.
        assertEquals(Instant.parse("2026-05-01T00:00:00Z"), nine.endsAt(Instant.parse("2026-04-30T23:00:00Z"), SEOUL));
        // 10:00 in Seoul, and exactly 09:00: the next day.
        assertEquals(Instant.parse("2026-05-02T00:00:00Z"), nine.endsAt(Instant.parse("2026-05-01T01:00:00Z"), SEOUL));
        assertEquals(Instant.parse("2026-05-02T00:00:00Z"), nine.endsAt(Instant.parse("2026-05-01T00:00:00Z"), SEOUL));
    }
}
