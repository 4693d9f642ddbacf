package dev.journey.templates.liquid.filter;

import java.util.List;
import java.util.function.Function;

/** {@code find: property[, value]}: the first item whose property is truthy (or equals value), else nil. */
public final class Find extends PropertyFilter {
    public Find() {
        super("find");
    }

    @Override
    protected Object select(List<Object> items, Function<Object, Boolean> matches, boolean empty) {
        Integer at = firstMatch(items, matches);
        return at == null || at < 0 ? null : items.get(at);
    }
}
