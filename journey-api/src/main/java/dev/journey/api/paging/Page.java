package dev.journey.api.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.worker.db.Keyset;

/** Keyset paging, newest first: a page size, and an opaque cursor naming the (time, id) of the previous page's last row. */
public final class Page {
    private Page() {}

    public record Cursor(Instant at, String id) {
        public String encode() {
            String raw = at.getEpochSecond() + "." + at.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A cursor this API could have written: its time within years 1 to 9999 (every time it pages by is; one
         * outside PostgreSQL's range failed the query), its nanoseconds 0 to 999,999,999 and its id free of NUL.
         */
        public static Cursor decode(String cursor) {
            Cursor c;
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                String[] time = raw.substring(0, colon).split("\\.");
                long nanos = Long.parseLong(time[1]);
                if (time.length != 2 || nanos < 0 || nanos > 999_999_999) {
                    throw invalidCursor();
                }
                c = new Cursor(Instant.ofEpochSecond(Long.parseLong(time[0]), nanos), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw invalidCursor();
            }
            if (c.at().isBefore(EARLIEST) || c.at().isAfter(LATEST) || c.id().indexOf('\u0000') >= 0) {
                throw invalidCursor();
            }
            return c;
        }

        private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
        private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    }

    /** Ids kept as text in a cursor: workflow ids, message ids. */
    public static final Function<String, Object> TEXT_ID = id -> id;
    /** Numeric ids (events): a cursor whose id is not a number is refused like any other bad cursor. */
    public static final Function<String, Object> NUMERIC_ID = id -> {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw invalidCursor();
        }
    };

    /** Where the {@code cursor} query parameter says the page starts; null for the first page. */
    public static Keyset.Position after(String cursor, Function<String, Object> id) {
        if (cursor == null) {
            return null;
        }
        Cursor c = Cursor.decode(cursor);
        return new Keyset.Position(c.at(), id.apply(c.id()));
    }

    /** The {@code nextCursor} of a page; null on the last page. */
    public static String next(Keyset.Page<?> page) {
        Keyset.Position next = page.next();
        return next == null ? null : new Cursor(next.at(), String.valueOf(next.id())).encode();
    }

    private static ApiException invalidCursor() {
        return ApiException.badRequest("invalid cursor", List.of(new ApiError.Detail("cursor", "pass nextCursor from the previous page unchanged")));
    }

    /** The {@code limit} query parameter: default 50, at most 500. */
    public static int limit(String value) {
        if (value == null) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("invalid limit", List.of(new ApiError.Detail("limit", "must be a whole number from 1 to 500")));
    }
}
