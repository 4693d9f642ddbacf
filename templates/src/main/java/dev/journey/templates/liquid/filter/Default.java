package dev.journey.templates.liquid.filter;

import java.util.Collection;
import java.util.Map;

import dev.journey.templates.liquid.Undefined;
import liqp.TemplateContext;

/**
 * {@code default: value[, allow_false: true]}: the value when the input is nil, false, empty text
 * or an empty array or hash; with {@code allow_false: true} a false input is kept.
 */
public final class Default extends LiquidFilter {
    public Default() {
        super("default", 0, 3);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Object fallback = "";
        boolean allowFalse = false;
        int positional = 0;
        for (Object arg : args) {
            if (arg instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("allow_false")) {
                allowFalse = truthy(map.get("allow_false"));
            } else {
                if (++positional > 1) {
                    throw new FilterException("default: wrong number of arguments (given " + args.length + ", expected 0..1)");
                }
                fallback = arg;
            }
        }
        if (allowFalse && Boolean.FALSE.equals(input)) {
            return input;
        }
        if (blank(input)) {
            Undefined.defaultUsed(fallback);
            return fallback;
        }
        return input;
    }

    static boolean blank(Object value) {
        return value == null
                || Boolean.FALSE.equals(value)
                || value instanceof CharSequence s && s.length() == 0
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Object[] a && a.length == 0
                || value instanceof Map<?, ?> m && m.isEmpty();
    }
}
