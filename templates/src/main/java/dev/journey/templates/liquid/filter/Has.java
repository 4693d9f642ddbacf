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
        for (Object item : items) {
            Boolean match = matches.apply(item);
            if (match == null) {
                return null;
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
