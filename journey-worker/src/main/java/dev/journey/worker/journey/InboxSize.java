package dev.journey.worker.journey;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.journey.worker.event.InboundEvent;

/**
 * A deterministic estimate of the bytes an inbox takes as JSON, computed from the values alone (no
 * serializer, no map order, no clock), so a replay drops exactly the events the first run dropped.
 * Strings count their UTF-8 bytes plus quotes and escapes; numbers, booleans and null their text.
 */
final class InboxSize {
    /** The fields around an event's data: id, type, timestamp, receivedAtMillis, their names and punctuation. */
    private static final int EVENT_OVERHEAD = 96;

    private InboxSize() {}

    static long of(List<InboundEvent> inbox) {
        long bytes = 0;
        for (InboundEvent event : inbox) {
            bytes += of(event);
        }
        return bytes;
    }

    static long of(InboundEvent event) {
        return EVENT_OVERHEAD + string(event.type()) + string(event.timestamp()) + json(event.data());
    }

    static long json(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                bytes += string(String.valueOf(e.getKey())) + 1 + json(e.getValue());
            }
            return bytes;
        }
        if (value instanceof Collection<?> list) {
            long bytes = 2 + Math.max(0, list.size() - 1);
            for (Object item : list) {
                bytes += json(item);
            }
            return bytes;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString().length();
        }
        return string(value.toString());
    }

    /** A JSON string: its UTF-8 bytes, the quotes, and the escapes of quotes, backslashes and control characters. */
    private static long string(String s) {
        if (s == null) {
            return 4;
        }
        long bytes = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
