package dev.journey.api.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;

/** Keyset paging, newest first: a page size, and an opaque cursor naming the (time, id) of the previous page's last row. */
public final class Page {
    private Page() {}

    public record Cursor(Instant at, String id) {
        public String encode() {
            String raw = at.getEpochSecond() + "." + at.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        public static Cursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                String[] time = raw.substring(0, colon).split("\\.");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid cursor", List.of(new ApiError.Detail("cursor", "pass nextCursor from the previous page unchanged")));
            }
        }
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
