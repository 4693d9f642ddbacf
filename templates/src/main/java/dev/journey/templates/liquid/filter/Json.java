package dev.journey.templates.liquid.filter;

import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import liqp.TemplateContext;

/**
 * {@code json}: the value as JSON, for webhook bodies and inline scripts.
 * {@code {{ entry_event.data | json }}} → {@code {"productId":"123","amount":10000}};
 * {@code {{ "say \"hi\"" | json }}} → {@code "say \"hi\""}; nil → {@code null}. Dates become
 * ISO-8601 text. Output is not HTML-escaped: add {@code | escape} inside HTML attributes.
 */
public final class Json extends LiquidFilter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Json() {
        super("json", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        try {
            return MAPPER.writeValueAsString(plain(input, 0));
        } catch (JsonProcessingException e) {
            throw new FilterException("json: cannot write this value as JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** Liquid's values as plain JSON-able Java: arrays as lists, dates as text; cycles cut off by depth. */
    private static Object plain(Object value, int depth) {
        if (depth > 64) {
            throw new FilterException("json: the value is nested too deeply");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v, depth + 1)));
            return out;
        }
        if (value instanceof Object[] array) {
            return plain(List.of(array), depth);
        }
        if (value instanceof Collection<?> items) {
            List<Object> out = new ArrayList<>();
            items.forEach(item -> out.add(plain(item, depth + 1)));
            return out;
        }
        if (value instanceof TemporalAccessor t) {
            return t.toString();
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof CharSequence) {
            return value;
        }
        return String.valueOf(value);
    }
}
