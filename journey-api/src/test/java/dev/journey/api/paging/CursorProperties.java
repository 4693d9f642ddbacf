package dev.journey.api.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import dev.journey.api.error.ApiException;

/**
 * jqwik properties of paging cursors (run by jqwik's engine next to the Jupiter tests): whatever a client
 * sends as a cursor is either one the API could have written or a 400 — never a time PostgreSQL cannot
 * hold, nor an id with a NUL in it (both were 500s, found by EndpointFuzzTest).
 */
class CursorProperties {
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    @Property(tries = 300, seed = "11")
    void anyTextIsACursorInRangeOrA400(@ForAll("cursors") String cursor) {
        try {
            Page.Cursor c = Page.Cursor.decode(cursor);
            assertTrue(!c.at().isBefore(EARLIEST) && !c.at().isAfter(LATEST), "in range: " + c);
            assertTrue(c.id().indexOf('\u0000') < 0, "no NUL in the id: " + c);
        } catch (ApiException e) {
            assertEquals(400, e.status());
        }
    }

    @Property(tries = 300, seed = "11")
    void aCursorTheApiWritesReadsBack(@ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds,
                                      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos, @ForAll("ids") String id) {
        Page.Cursor written = new Page.Cursor(Instant.ofEpochSecond(seconds, nanos), id);
        assertEquals(written, Page.Cursor.decode(written.encode()));
    }

    @Provide
    Arbitrary<String> cursors() {
        Arbitrary<String> seconds = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("99999999999999", "-99999999999999", "9223372036854775807", "253402300800", "-62135596801", "x", ""));
        Arbitrary<String> nanos = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), Arbitraries.of("0", "1000000000", "-1", ""));
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(8), Arbitraries.of("1", "\u0000", "99999999999999999999"));
        Arbitrary<String> raw = net.jqwik.api.Combinators.combine(seconds, nanos, id).as((s, n, i) -> s + "." + n + ":" + i);
        return Arbitraries.oneOf(raw.map(r -> Base64.getUrlEncoder().withoutPadding().encodeToString(r.getBytes(StandardCharsets.UTF_8))),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30);
    }
}
