package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void whatIsSavedIsBoundedAndWhatWasStoredBeforeTheBoundIsReadAsTheBound() {
        assertEquals(Duration.ofDays(3), Durations.parse("P3D"));
        assertEquals(Duration.ofDays(3650), Durations.parse("P3650D"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("P3651D"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT9999999999999H"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT99999999999999999999H"));
        // Weeks overflow an int of days inside java.time: refused, not thrown as an ArithmeticException (a 500 in the API).
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("P-2147483648W"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("P2147483647W"));
        assertEquals(Durations.MAX, Durations.stored("PT9999999999999H"));
        assertEquals(Duration.ofDays(90), Durations.stored("P400D", Duration.ofDays(90)));
        assertEquals(Duration.ofHours(1), Durations.stored("PT1H"));
    }
}
