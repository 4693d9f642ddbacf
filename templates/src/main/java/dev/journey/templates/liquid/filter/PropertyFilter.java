package dev.journey.templates.liquid.filter;

import java.util.List;
import java.util.Map;

import liqp.TemplateContext;

/**
 * The helper that {@code reject}, {@code has}, {@code find} and {@code find_index} share: the
 * input is iterated the Liquid way (arrays flattened, a hash is one item), and an item matches
 * when its {@code property} is truthy or, given a target, equals it. An item that cannot be
 * indexed (nil, true, false, a float) makes the filter return nil; an integer fails.
 */
abstract class PropertyFilter extends LiquidFilter {
    /** Signals that an item without {@code []} was met: the filter's result is nil. */
    static final Object NOT_INDEXABLE = new Object();

    PropertyFilter(String name) {
        super(name, 1, 2);
    }

    @Override
    protected final Object filter(Object input, TemplateContext context, Object[] args) {
        List<Object> items = items(input);
        Object property = args[0];
        Object target = arg(args, 1);
        return select(items, item -> {
            Object value = property(item, property);
            if (value == NOT_INDEXABLE) {
                return null;
            }
            return target == null ? truthy(value) : same(value, target);
        }, items.isEmpty());
    }

    /** The result for {@code items}; {@code matches} answers null for an item that is not indexable. */
    protected abstract Object select(List<Object> items, java.util.function.Function<Object, Boolean> matches, boolean empty);

    /** Where a search stopped: the index of the first match, -1 for none, or null when an item could not be tested. */
    protected static Integer firstMatch(List<Object> items, java.util.function.Function<Object, Boolean> matches) {
        for (int i = 0; i < items.size(); i++) {
            Boolean match = matches.apply(items.get(i));
            if (match == null) {
                return null;
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }

    static Object property(Object item, Object property) {
        if (item instanceof Map<?, ?> map) {
            return property == null ? null : map.get(property instanceof String ? property : String.valueOf(property));
        }
        if (item instanceof String s) {
            if (property instanceof String p) {
                return s.contains(p) ? p : null;
            }
            if (property instanceof Number n && Math.abs(n.longValue()) < s.length()) {
                int i = (int) n.longValue();
                return String.valueOf(s.charAt(i < 0 ? s.length() + i : i));
            }
            return null;
        }
        if (item instanceof Long || item instanceof Integer) {
            if (!(property instanceof Number)) {
                throw new FilterException("cannot select the property '" + property + "'");
            }
            return (((Number) item).longValue() >> ((Number) property).longValue()) & 1;
        }
        return NOT_INDEXABLE;
    }
}
