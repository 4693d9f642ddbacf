package dev.journey.templates.liquid.filter;

import java.util.List;
import java.util.function.Function;

/** {@code has: property[, value]}: true when some item's property is truthy (or equals value). */
public final class Has extends PropertyFilter {
    public Has() {
        super("has");
    }

    @Override
    protected Object select(List<Object> items, Function<Object, Boolean> matches, boolean empty) {
        Integer at = firstMatch(items, matches);
        return at == null ? null : at >= 0;
    }
}
